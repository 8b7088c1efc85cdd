package io.serverlessdata.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stands in front of the fabric8 mock API server's CRUD store and answers what {@code kubectl} needs beyond
 * storing objects: {@code /version} (with any query), discovery ({@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>/<version>}) built from the stored CRDs, a minimal OpenAPI v3, {@code meta.k8s.io/v1}
 * Tables with the CRD's printer columns, and field selectors on events ({@code kubectl describe}). Chunked-HTTP
 * watches ({@code kubectl get -w}) are refused with a clear status; the store serves watches over WebSocket only.
 * A kubectl older than {@link KubectlVersion#MINIMUM_MINOR 1.27} (by its User-Agent) is refused on every request
 * with a message that says which version it is and which one is needed.
 */
public final class KubectlDispatcher extends Dispatcher {

  static final String CRDS_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Dispatcher store;
  private final Supplier<String> serverAddress;
  private final TableConverter tables;
  private final String version;

  /**
   * @param store the CRUD dispatcher that keeps the objects
   * @param serverAddress host:port kubectl reaches the server at
   * @param clock for the ages in tables
   */
  public KubectlDispatcher(Dispatcher store, Supplier<String> serverAddress, Clock clock) {
    this.store = store;
    this.serverAddress = serverAddress;
    this.tables = new TableConverter(clock);
    this.version = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-sandbox\",\"gitCommit\":\"\","
        + "\"gitTreeState\":\"clean\",\"buildDate\":\"2026-01-01T00:00:00Z\",\"goVersion\":\"go1.23\","
        + "\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String target = request.getPath();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : parseQuery(target.substring(q + 1));
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Optional<KubectlVersion> kubectl = KubectlVersion.fromUserAgent(request.getHeader("User-Agent"));
    if (kubectl.isPresent() && kubectl.get().tooOld()) {
      return refuse(path, kubectl.get());
    }
    try {
      if (request.method() == HttpMethod.GET) {
        Optional<MockResponse> answered = answerGet(request, path, query);
        if (answered.isPresent()) {
          return answered.get();
        }
      }
      return withJsonType(store.dispatch(request));
    } catch (RuntimeException e) {
      return status(500, "InternalError", "the sandbox API server failed: " + e.getMessage());
    }
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }

  private Optional<MockResponse> answerGet(RecordedRequest request, String path, Map<String, String> query) {
    if ("/version".equals(path)) {
      return Optional.of(json(200, version));
    }
    if ("/api".equals(path)) {
      return Optional.of(json(200, discovery().coreVersions(serverAddress.get())));
    }
    if ("/apis".equals(path)) {
      return Optional.of(json(200, discovery().groups()));
    }
    if ("/openapi/v3".equals(path)) {
      return Optional.of(json(200, discovery().openApiRoot()));
    }
    if (path.startsWith("/openapi/v3/")) {
      return Optional.of(discovery().openApiDocument(path.substring("/openapi/v3/".length()))
          .map(doc -> json(200, doc)).orElseGet(() -> status(404, "NotFound", "no OpenAPI document for " + path)));
    }
    if ("/openapi/v2".equals(path)) {
      return Optional.of(status(404, "NotFound", "the sandbox serves OpenAPI v3 only"));
    }
    Optional<ResourcePath> resource = ResourcePath.parse(path);
    if (resource.isEmpty()) {
      return Optional.empty();
    }
    ResourcePath r = resource.get();
    if (r.plural() == null) {
      ApiDiscovery discovery = discovery();
      return Optional.of(discovery.resourceList(r.group(), r.version()).map(list -> json(200, list))
          .orElseGet(() -> status(404, "NotFound", "the server could not find the requested resource")));
    }
    if (isWatch(query)) {
      if (request.getHeader("Upgrade") == null) {
        return Optional.of(status(405, "MethodNotAllowed", "the sandbox API server serves watches over WebSocket only;"
            + " kubectl get -w is not supported, run kubectl get again (kubectl wait and delete re-list)"));
      }
      return Optional.empty();
    }
    MockResponse response;
    if (query.containsKey("fieldSelector") && r.name() == null) {
      response = filtered(request, path, query);
    } else {
      response = withJsonType(store.dispatch(request));
    }
    if (response.code() != 200 || r.subresource() != null) {
      return Optional.of(response);
    }
    Optional<ApiDiscovery.Resource> served = discovery().find(r.group(), r.version(), r.plural());
    String accept = Optional.ofNullable(request.getHeader("Accept")).orElse("");
    if (accept.contains("as=Table")) {
      List<TableConverter.Column> columns = served.map(ApiDiscovery.Resource::columns)
          .orElse(TableConverter.DEFAULT_COLUMNS);
      return Optional.of(json(200, tables.convert(read(response.getBody().readUtf8()), columns)));
    }
    if (r.name() == null && served.isPresent()) {
      // the store calls every list "List"; typed clients (kubectl describe's events) want e.g. "EventList"
      JsonNode list = read(response.getBody().readUtf8());
      if (list instanceof ObjectNode object && "List".equals(object.path("kind").asText())) {
        object.put("kind", served.get().kind() + "List").put("apiVersion", served.get().groupVersion());
      }
      return Optional.of(json(200, list));
    }
    return Optional.of(response);
  }

  /** A list filtered by a field selector of equalities and inequalities on any field path. */
  private MockResponse filtered(RecordedRequest request, String path, Map<String, String> query) {
    Map<String, String> rest = new LinkedHashMap<>(query);
    String selector = rest.remove("fieldSelector");
    StringBuilder unfiltered = new StringBuilder(path);
    char separator = '?';
    for (Map.Entry<String, String> e : rest.entrySet()) {
      unfiltered.append(separator).append(e.getKey()).append('=')
          .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    MockResponse all = store.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
        unfiltered.toString(), request.getHeaders(), new Buffer()));
    if (all.code() != 200) {
      return withJsonType(all);
    }
    List<FieldSelector.Requirement> requirements = FieldSelector.parse(selector);
    ObjectNode list = (ObjectNode) read(all.getBody().readUtf8());
    ArrayNode kept = MAPPER.createArrayNode();
    list.path("items").forEach(item -> {
      if (FieldSelector.matches(item, requirements)) {
        kept.add(item);
      }
    });
    list.set("items", kept);
    return json(200, list);
  }

  private ApiDiscovery discovery() {
    MockResponse crds = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, CRDS_PATH,
        Headers.builder().build(), new Buffer()));
    JsonNode items = crds.code() == 200 ? read(crds.getBody().readUtf8()).path("items") : MAPPER.createArrayNode();
    return ApiDiscovery.of(items);
  }

  private static boolean isWatch(Map<String, String> query) {
    String watch = query.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  static Map<String, String> parseQuery(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  private static JsonNode read(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the store answered with invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static MockResponse withJsonType(MockResponse response) {
    if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
      response.setHeader("Content-Type", "application/json");
    }
    return response;
  }

  private static MockResponse json(int code, Object body) {
    String text;
    try {
      text = body instanceof String s ? s : MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(text);
  }

  /**
   * Every request of a too old kubectl, so that whatever the user runs prints why, e.g. "Error from server
   * (BadRequest): kubectl v1.20.2 is too old ...". How it must be said was found with kubectl 1.20 (client-go's
   * {@code transformResponse} and {@code NewGenericServerResponse}): discovery and object requests decode a JSON
   * {@code Status} and print its message, but {@code /version} reads the raw body and {@code /openapi/v2} (where
   * {@code apply} and {@code explain} start, falling back to {@code /swagger-2.0.0.pb-v1}) negotiates protobuf, so
   * for those a Status is dropped and only a
   * plain-text 403 keeps its message (with any other code kubectl prints "the server rejected our request for an
   * unknown reason"). Discovery, in turn, skips a group that answers 403, so it gets the Status.
   */
  private static MockResponse refuse(String path, KubectlVersion kubectl) {
    if ("/version".equals(path) || path.startsWith("/openapi/") || path.startsWith("/swagger")) {
      return new MockResponse().setResponseCode(403).setHeader("Content-Type", "text/plain; charset=utf-8")
          .setBody(kubectl.refusal());
    }
    return status(400, "BadRequest", kubectl.refusal());
  }

  static MockResponse status(int code, String reason, String message) {
    ObjectNode status = MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
        .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    status.putObject("metadata");
    return json(code, status);
  }

  /** Where a request points: a group version, optionally a resource (plural), a name and a subresource. */
  record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource) {

    static Optional<ResourcePath> parse(String path) {
      String[] s = path.substring(1).split("/");
      int at;
      String group;
      if (s.length >= 2 && "api".equals(s[0])) {
        group = "";
        at = 1;
      } else if (s.length >= 3 && "apis".equals(s[0])) {
        group = s[1];
        at = 2;
      } else {
        return Optional.empty();
      }
      String version = s[at];
      List<String> rest = new ArrayList<>(List.of(s).subList(at + 1, s.length));
      String namespace = null;
      if (rest.size() >= 3 && "namespaces".equals(rest.get(0))) {
        namespace = rest.get(1);
        rest = rest.subList(2, rest.size());
      }
      if (rest.isEmpty()) {
        return Optional.of(new ResourcePath(group, version, null, null, null, null));
      }
      return Optional.of(new ResourcePath(group, version, namespace, rest.get(0),
          rest.size() > 1 ? rest.get(1) : null, rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null));
    }
  }
}
