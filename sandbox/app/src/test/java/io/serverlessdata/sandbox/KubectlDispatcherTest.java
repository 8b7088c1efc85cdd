package io.serverlessdata.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What kubectl asks the sandbox's API server, answered without a network: discovery, OpenAPI, tables, events. */
class KubectlDispatcherTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE_ACCEPT =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  /** An hour ahead of the store, which stamps creationTimestamp with the time of the request. */
  private static final Clock CLOCK = Clock.offset(Clock.systemUTC(), java.time.Duration.ofHours(1));

  private KubectlDispatcher dispatcher;

  @BeforeEach
  void storeTheCrd() throws IOException {
    dispatcher = new KubectlDispatcher(new KubernetesCrudDispatcher(), () -> "127.0.0.1:6443", CLOCK);
    String crd = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(
        Files.readString(Path.of(System.getProperty("sds.repoRoot", ".."), "crds",
            "serverlessdatastacks.serverlessdata.io-v1.yml"))).toString();
    assertThat(send(HttpMethod.POST, KubectlDispatcher.CRDS_PATH, crd, null).code()).isEqualTo(201);
  }

  @Test
  void versionIgnoresTheQueryThatKubectlAdds() throws IOException {
    JsonNode version = body(send(HttpMethod.GET, "/version?timeout=32s", null, null));
    assertThat(version.path("major").asText()).isEqualTo("1");
    assertThat(version.path("gitVersion").asText()).startsWith("v1.32");
  }

  @Test
  void discoveryListsTheCoreResourcesAndTheStoredCrd() throws IOException {
    assertThat(body(get("/api")).path("versions").toString()).isEqualTo("[\"v1\"]");
    List<String> core = names(body(get("/api/v1")).path("resources"));
    assertThat(core).contains("namespaces", "events", "configmaps", "secrets");

    JsonNode groups = body(get("/apis")).path("groups");
    assertThat(names(groups)).contains("serverlessdata.io", "apiextensions.k8s.io");

    JsonNode resources = body(get("/apis/serverlessdata.io/v1alpha1"));
    assertThat(resources.path("groupVersion").asText()).isEqualTo("serverlessdata.io/v1alpha1");
    JsonNode sds = resources.path("resources").get(0);
    assertThat(sds.path("name").asText()).isEqualTo("serverlessdatastacks");
    assertThat(sds.path("kind").asText()).isEqualTo("ServerlessDataStack");
    assertThat(sds.path("namespaced").asBoolean()).isTrue();
    assertThat(sds.path("shortNames").toString()).isEqualTo("[\"sds\"]");
    assertThat(sds.path("verbs").toString()).contains("create", "get", "list", "patch", "delete", "watch");
    assertThat(names(resources.path("resources"))).contains("serverlessdatastacks/status");

    assertThat(get("/apis/unknown.io/v1").code()).isEqualTo(404);
  }

  @Test
  void openApiDeclaresFieldValidationAndTheCrdSchema() throws IOException {
    JsonNode root = body(get("/openapi/v3"));
    String url = root.path("paths").path("apis/serverlessdata.io/v1alpha1").path("serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/apis/serverlessdata.io/v1alpha1?hash=");

    JsonNode doc = body(get(url));
    JsonNode patch = doc.path("paths")
        .path("/apis/serverlessdata.io/v1alpha1/namespaces/{namespace}/serverlessdatastacks/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("ServerlessDataStack");
    assertThat(patch.path("parameters").get(0).path("name").asText()).isEqualTo("fieldValidation");
    JsonNode schema = doc.path("components").path("schemas").path("io.serverlessdata.v1alpha1.ServerlessDataStack");
    assertThat(schema.path("properties").path("spec").path("properties").has("resourcePrefix")).isTrue();
    assertThat(schema.path("x-kubernetes-group-version-kind").get(0).path("group").asText())
        .isEqualTo("serverlessdata.io");
  }

  @Test
  void tablesShowThePrinterColumnsOfTheCrd() throws IOException {
    String collection = "/apis/serverlessdata.io/v1alpha1/namespaces/default/serverlessdatastacks";
    String resource = """
        {"apiVersion":"serverlessdata.io/v1alpha1","kind":"ServerlessDataStack",
         "metadata":{"name":"orders","namespace":"default"},
         "spec":{"resourcePrefix":"orders-prod","alertEmail":"ops@example.com"},
         "status":{"stackStatus":"CREATE_COMPLETE","outputs":{"ApiEndpoint":"https://x.example/prod/process"},
           "conditions":[{"type":"Ready","status":"True"},{"type":"ACK.ResourceSynced","status":"True"}]}}""";
    assertThat(send(HttpMethod.POST, collection, resource, null).code()).isEqualTo(201);
    assertThat(send(HttpMethod.PUT, collection + "/orders/status", resource, null).code()).isEqualTo(200);

    JsonNode table = body(send(HttpMethod.GET,
        "/apis/serverlessdata.io/v1alpha1/namespaces/default/serverlessdatastacks?limit=500", null, TABLE_ACCEPT));

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    List<String> columns = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).containsExactly("Name", "STACK-STATUS", "SYNCED", "DRIFT", "ENDPOINT", "ARN",
        "AWAITING-APPROVAL", "AGE");
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.get(0).asText()).isEqualTo("orders");
    assertThat(cells.get(1).asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(cells.get(2).asText()).isEqualTo("True");
    assertThat(cells.get(4).asText()).isEqualTo("https://x.example/prod/process");
    assertThat(cells.get(5).isNull()).isTrue();
    assertThat(cells.get(6).isNull()).as("no plan waits").isTrue();
    assertThat(cells.get(7).asText()).isEqualTo("60m");
    assertThat(table.path("rows").get(0).path("object").path("metadata").path("namespace").asText()).isEqualTo("default");
  }

  @Test
  void eventsAreFilteredByTheFieldSelectorOfKubectlDescribe() throws IOException {
    for (String[] e : new String[][] {{"a", "orders", "Synced"}, {"b", "billing", "Synced"}, {"c", "orders", "Executing"}}) {
      send(HttpMethod.POST, "/api/v1/namespaces/default/events", """
          {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s","namespace":"default"},"reason":"%s",
           "type":"Normal","involvedObject":{"kind":"ServerlessDataStack","name":"%s","namespace":"default"}}"""
          .formatted(e[0], e[2], e[1]), null);
    }
    JsonNode list = body(get("/api/v1/namespaces/default/events?fieldSelector="
        + "involvedObject.name%3Dorders%2CinvolvedObject.namespace%3Ddefault%2CinvolvedObject.kind%3DServerlessDataStack"
        + "&limit=500"));

    assertThat(list.path("kind").asText()).isEqualTo("EventList");
    List<String> reasons = new ArrayList<>();
    list.path("items").forEach(i -> reasons.add(i.path("reason").asText()));
    assertThat(reasons).containsExactlyInAnyOrder("Synced", "Executing");
  }

  @Test
  void chunkedHttpWatchesAreRefusedWithAClearMessage() throws IOException {
    MockResponse response = get("/apis/serverlessdata.io/v1alpha1/namespaces/default/serverlessdatastacks?watch=true");
    assertThat(response.code()).isEqualTo(405);
    assertThat(JSON.readTree(response.getBody().readUtf8()).path("message").asText())
        .contains("WebSocket only", "kubectl get -w");
  }

  @Test
  void aKubectlOlderThan127IsRefusedOnEveryRequestWithTheVersionsAndWhereToGetOne() throws IOException {
    String old = "kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19";
    // what client-go 1.20 decodes a Status of (and prints its message)
    for (String path : List.of("/api", "/apis", "/apis/serverlessdata.io/v1alpha1",
        "/apis/serverlessdata.io/v1alpha1/namespaces/default/serverlessdatastacks")) {
      MockResponse response = send(HttpMethod.GET, path, null, "application/json", old);

      assertThat(response.code()).as(path).isEqualTo(400);
      JsonNode status = JSON.readTree(response.getBody().readUtf8());
      assertThat(status.path("kind").asText()).isEqualTo("Status");
      assertThat(status.path("status").asText()).isEqualTo("Failure");
      assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
      assertThat(status.path("message").asText()).contains("kubectl v1.20.2 is too old", "kubectl 1.27 or newer",
          "https://kubernetes.io/docs/tasks/tools/");
    }
    // what it reads raw or as protobuf (kubectl version, apply's and explain's OpenAPI v2): only a text 403 shows
    for (String path : List.of("/version?timeout=32s", "/openapi/v2?timeout=32s", "/swagger-2.0.0.pb-v1")) {
      MockResponse response = send(HttpMethod.GET, path, null,
          "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", old);

      assertThat(response.code()).as(path).isEqualTo(403);
      assertThat(response.header("Content-Type")).startsWith("text/plain");
      assertThat(response.getBody().readUtf8()).startsWith("kubectl v1.20.2 is too old for the sandbox: it needs"
          + " kubectl 1.27 or newer");
    }
    assertThat(send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}", null,
        "kubectl/v1.26.15 (linux/amd64) kubernetes/1649f59").code()).isEqualTo(400);
  }

  @Test
  void kubectl127AndNewerOtherClientsAndUnversionedBuildsAreServed() {
    for (String agent : List.of("kubectl/v1.27.0 (linux/amd64) kubernetes/1b4df30",
        "kubectl/v1.32.4-dispatcher (linux/amd64) kubernetes/59526cd", "kubectl/v2.0.0 (darwin/arm64) kubernetes/x",
        "kubectl/v0.0.0 (linux/amd64) kubernetes/$Format", "fabric8-kubernetes-client/7.5.2")) {
      assertThat(send(HttpMethod.GET, "/api", null, "application/json", agent).code()).as(agent).isEqualTo(200);
    }
  }

  @Test
  void theClientVersionIsReadFromKubectlVersionJson() {
    String json = """
        {
          "clientVersion": {
            "major": "1",
            "minor": "20",
            "gitVersion": "v1.20.2",
            "platform": "linux/amd64"
          }
        }""";
    assertThat(KubectlVersion.fromVersionJson(json)).hasValueSatisfying(v -> {
      assertThat(v.text()).isEqualTo("v1.20.2");
      assertThat(v.tooOld()).isTrue();
    });
    assertThat(KubectlVersion.fromVersionJson("{\"clientVersion\":{\"gitVersion\":\"v1.32.3\"}}"))
        .hasValueSatisfying(v -> assertThat(v.tooOld()).isFalse());
    assertThat(KubectlVersion.fromVersionJson("error: unknown flag: --output")).isEmpty();
  }

  @Test
  void agesReadLikeKubectls() {
    assertThat(TableConverter.age(java.time.Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(TableConverter.age(java.time.Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(TableConverter.age(java.time.Duration.ofMinutes(25))).isEqualTo("25m");
    assertThat(TableConverter.age(java.time.Duration.ofMinutes(310))).isEqualTo("5h10m");
    assertThat(TableConverter.age(java.time.Duration.ofHours(30))).isEqualTo("30h");
    assertThat(TableConverter.age(java.time.Duration.ofHours(76))).isEqualTo("3d4h");
  }

  @Test
  void printerColumnPathsFindFilteredConditions() throws IOException {
    JsonNode resource = JSON.readTree("""
        {"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"ACK.ResourceSynced","status":"True"}]}}""");
    assertThat(JsonPaths.first(resource, ".status.conditions[?(@.type==\"ACK.ResourceSynced\")].status"))
        .map(JsonNode::asText).hasValue("True");
    assertThat(JsonPaths.first(resource, ".status.conditions[0].type")).map(JsonNode::asText).hasValue("Ready");
    assertThat(JsonPaths.first(resource, ".status.drift.status")).isEmpty();
  }

  private MockResponse get(String path) {
    return send(HttpMethod.GET, path, null, "application/json");
  }

  private MockResponse send(HttpMethod method, String path, String body, String accept) {
    return send(method, path, body, accept, null);
  }

  private MockResponse send(HttpMethod method, String path, String body, String accept, String userAgent) {
    Headers.Builder headers = Headers.builder().add("Content-Type", "application/json");
    if (accept != null) {
      headers.add("Accept", accept);
    }
    if (userAgent != null) {
      headers.add("User-Agent", userAgent);
    }
    return dispatcher.dispatch(new RecordedRequest("HTTP/1.1", method, path, headers.build(),
        new Buffer(body == null ? null : body.getBytes(StandardCharsets.UTF_8))));
  }

  private static JsonNode body(MockResponse response) throws IOException {
    assertThat(response.code()).as("status of %s", response).isEqualTo(200);
    return JSON.readTree(response.getBody().readUtf8());
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.path("name").asText()));
    return names;
  }
}
