package io.serverlessdata.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an API server tells {@code kubectl} about itself: the groups and versions it serves ({@code /api},
 * {@code /apis}), the resources of each ({@code /api/v1}, {@code /apis/<group>/<version>}) and a minimal OpenAPI v3
 * document per group version. Built from the core resources the sandbox needs and from the stored CRDs, so a
 * CRD installed into the sandbox is discoverable at once.
 */
final class ApiDiscovery {

  /** A resource the server serves. */
  record Resource(String group, String version, String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, boolean statusSubresource, List<TableConverter.Column> columns, JsonNode schema) {

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path kubectl's OpenAPI client asks for: {@code api/v1} or {@code apis/<group>/<version>}. */
    String openApiPath() {
      return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Core and apiextensions resources that kubectl and the operator use in the sandbox. */
  static final List<Resource> BUILT_IN = List.of(
      new Resource("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"), true,
          TableConverter.DEFAULT_COLUMNS, null),
      new Resource("", "v1", "events", "event", "Event", true, List.of("ev"), false, TableConverter.EVENT_COLUMNS, null),
      new Resource("", "v1", "configmaps", "configmap", "ConfigMap", true, List.of("cm"), false,
          TableConverter.DEFAULT_COLUMNS, null),
      new Resource("", "v1", "secrets", "secret", "Secret", true, List.of(), false, TableConverter.DEFAULT_COLUMNS, null),
      new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
          "CustomResourceDefinition", false, List.of("crd", "crds"), true, TableConverter.DEFAULT_COLUMNS, null));

  private final List<Resource> resources;

  ApiDiscovery(List<Resource> resources) {
    this.resources = List.copyOf(resources);
  }

  /** The built-in resources plus every served version of the given CRDs (a CustomResourceDefinitionList's items). */
  static ApiDiscovery of(JsonNode crds) {
    List<Resource> all = new ArrayList<>(BUILT_IN);
    for (JsonNode crd : crds) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      List<String> shortNames = new ArrayList<>();
      names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
      for (JsonNode version : spec.path("versions")) {
        if (!version.path("served").asBoolean(true)) {
          continue;
        }
        all.add(new Resource(spec.path("group").asText(), version.path("name").asText(),
            names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase()),
            names.path("kind").asText(), !"Cluster".equals(spec.path("scope").asText()), shortNames,
            version.path("subresources").has("status"), TableConverter.columns(version),
            version.path("schema").path("openAPIV3Schema")));
      }
    }
    return new ApiDiscovery(all);
  }

  List<Resource> resources() {
    return resources;
  }

  /** The resource served under this group version and plural name. */
  Optional<Resource> find(String group, String version, String plural) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  /** {@code /api}: the core group's versions. */
  ObjectNode coreVersions(String serverAddress) {
    ObjectNode versions = JSON.objectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions.putArray("serverAddressByClientCIDRs").addObject()
        .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return versions;
  }

  /** {@code /apis}: every named group with its versions, the first one preferred. */
  ObjectNode groups() {
    Map<String, List<String>> versions = new LinkedHashMap<>();
    resources.stream().filter(r -> !r.group().isEmpty()).forEach(r -> {
      List<String> list = versions.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!list.contains(r.version())) {
        list.add(r.version());
      }
    });
    ObjectNode groupList = JSON.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = groupList.putArray("groups");
    versions.forEach((group, list) -> {
      ObjectNode g = groups.addObject().put("name", group);
      ArrayNode vs = g.putArray("versions");
      list.forEach(v -> vs.addObject().put("groupVersion", group + "/" + v).put("version", v));
      g.putObject("preferredVersion").put("groupVersion", group + "/" + list.get(0)).put("version", list.get(0));
    });
    return groupList;
  }

  /** {@code /api/v1} or {@code /apis/<group>/<version>}: its resources, empty when the group version is unknown. */
  Optional<ObjectNode> resourceList(String group, String version) {
    List<Resource> served = resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    if (served.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode list = JSON.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", served.get(0).groupVersion());
    ArrayNode items = list.putArray("resources");
    for (Resource r : served) {
      ObjectNode item = items.addObject().put("name", r.plural()).put("singularName", r.singular())
          .put("namespaced", r.namespaced()).put("kind", r.kind());
      ArrayNode verbs = item.putArray("verbs");
      VERBS.stream().filter(v -> r.namespaced() || !"deletecollection".equals(v)).forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode shortNames = item.putArray("shortNames");
        r.shortNames().forEach(shortNames::add);
      }
      if (r.statusSubresource()) {
        ObjectNode status = items.addObject().put("name", r.plural() + "/status").put("singularName", "")
            .put("namespaced", r.namespaced()).put("kind", r.kind());
        status.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return Optional.of(list);
  }

  /** {@code /openapi/v3}: where each group version's document is. */
  ObjectNode openApiRoot() {
    ObjectNode root = JSON.objectNode();
    ObjectNode paths = root.putObject("paths");
    resources.stream().map(Resource::openApiPath).distinct().forEach(path -> paths.putObject(path)
        .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + Integer.toHexString(resources.hashCode())));
    return root;
  }

  /**
   * {@code /openapi/v3/apis/<group>/<version>}: for each resource, a PATCH operation that accepts
   * {@code fieldValidation} (so {@code kubectl apply --validate=strict} leaves validation to the server) and the
   * resource's schema with its group-version-kind (so {@code kubectl explain} works for CRDs).
   */
  Optional<ObjectNode> openApiDocument(String path) {
    List<Resource> served = resources.stream().filter(r -> r.openApiPath().equals(path)).toList();
    if (served.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.objectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes (serverless-data-stack sandbox)").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (Resource r : served) {
      String prefix = "/" + path + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
      ObjectNode patch = paths.putObject(prefix).putObject("patch");
      patch.put("operationId", "patch" + r.kind());
      gvk(patch.putObject("x-kubernetes-group-version-kind"), r);
      patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
          .put("description", "accepted; the sandbox does not enforce schemas").putObject("schema").put("type", "string");
      if (r.schema() != null && r.schema().isObject()) {
        ObjectNode schema = r.schema().deepCopy();
        ObjectNode properties = schema.with("properties");
        properties.putObject("apiVersion").put("type", "string")
            .put("description", "APIVersion defines the versioned schema of this representation of an object.");
        properties.putObject("kind").put("type", "string")
            .put("description", "Kind is a string value representing the REST resource this object represents.");
        properties.putObject("metadata").put("type", "object").put("description", "Standard object's metadata.");
        gvk(schema.putArray("x-kubernetes-group-version-kind").addObject(), r);
        schemas.set(schemaName(r), schema);
      }
    }
    return Optional.of(doc);
  }

  private static String schemaName(Resource r) {
    String[] parts = r.group().split("\\.");
    StringBuilder reversed = new StringBuilder();
    for (int i = parts.length - 1; i >= 0; i--) {
      reversed.append(parts[i]).append('.');
    }
    return reversed + r.version() + "." + r.kind();
  }

  private static void gvk(ObjectNode node, Resource r) {
    node.put("group", r.group()).put("version", r.version()).put("kind", r.kind());
  }
}
