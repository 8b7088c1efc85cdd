package io.serverlessdata.operator.app;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One request to the API server as its authorizer sees it, derived from the HTTP request the way the API server's
 * {@code RequestInfoFactory} does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go; the verbs:
 * https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb):
 *
 * <ul>
 *   <li>a resource request ({@code /api/v1/...}, {@code /apis/<group>/<version>/...}) has an RBAC verb (GET and HEAD
 *       are {@code get} on one object, {@code list} on a collection, {@code watch} with {@code ?watch=true} or the
 *       legacy {@code /watch/} prefix; POST {@code create}, PUT {@code update}, PATCH {@code patch}, DELETE
 *       {@code delete} or {@code deletecollection}), an API group, a resource, a subresource, a namespace (empty
 *       when cluster-scoped) and a name (empty for collections and creates);
 *   <li>anything else ({@code /api}, {@code /apis/<group>/<version>}, {@code /version}) is a non-resource request
 *       on its path, with the lower-case HTTP method as verb.
 * </ul>
 *
 * @param verb the RBAC verb
 * @param group the API group, empty for the core group
 * @param resource the resource (plural), empty for a non-resource request
 * @param subresource e.g. {@code status}, empty if none
 * @param namespace the namespace, empty for cluster-scoped requests (for a Namespace object: its own name)
 * @param name the object's name, empty for collections and creates
 * @param path the URL path of a non-resource request, empty for resource requests
 */
record ApiAccess(String verb, String group, String resource, String subresource, String namespace, String name,
    String path) {

  /** Subresources of a namespace ({@code /api/v1/namespaces/x/status}), not a resource within it. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  boolean resourceRequest() {
    return path.isEmpty();
  }

  /** {@code resource/subresource}, as RBAC rules name it. */
  String qualifiedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  static ApiAccess of(RecordedRequest request) {
    return of(request.getMethod(), request.getPath());
  }

  static ApiAccess of(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String path = uri.getPath();
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    int at;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      at = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      at = 3;
    } else {
      return new ApiAccess(method.toLowerCase(Locale.ROOT), "", "", "", "", "", path);
    }
    List<String> rest = parts.subList(at, parts.size());
    boolean watchPrefix = rest.get(0).equals("watch");
    if (watchPrefix) {
      rest = rest.subList(1, rest.size());
    }
    String namespace = "";
    if (rest.size() >= 2 && rest.get(0).equals("namespaces")
        && (rest.size() == 2 || NAMESPACE_SUBRESOURCES.contains(rest.get(2)))) {
      // the Namespace object itself: its namespace is its name
      namespace = rest.get(1);
    } else if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String subresource = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
    boolean watch = watchPrefix || Arrays.stream(query.split("&")).anyMatch(p -> p.equals("watch=true")
        || p.equals("watch=1"));
    String verb = switch (method) {
      case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase(Locale.ROOT);
    };
    return new ApiAccess(verb, group, resource, subresource, namespace, name, "");
  }

  @Override
  public String toString() {
    if (!resourceRequest()) {
      return verb + " " + path;
    }
    return verb + " " + (group.isEmpty() ? "" : group + "/") + qualifiedResource()
        + (name.isEmpty() ? "" : " " + name) + (namespace.isEmpty() ? " (cluster-wide)" : " in " + namespace);
  }
}
