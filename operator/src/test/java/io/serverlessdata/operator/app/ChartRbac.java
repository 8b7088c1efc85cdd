package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the RBAC objects of a rendered chart grant the operator's service account, decided as Kubernetes' RBAC
 * authorizer decides (https://kubernetes.io/docs/reference/access-authn-authz/rbac/, rule matching as in
 * k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go): a ClusterRoleBinding grants its ClusterRole's rules in
 * every namespace and cluster-wide; a RoleBinding in namespace X grants its Role's (or ClusterRole's) rules to
 * requests in X only. Added to them: the rules Kubernetes' default bindings give every authenticated user
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles and #default-roles-and-role-bindings):
 * {@code system:basic-user} (create SelfSubjectAccessReviews and SelfSubjectRulesReviews, which JOSDK's lease check
 * sends), {@code system:discovery} and {@code system:public-info-viewer} (GET on {@code /api}, {@code /apis},
 * {@code /version}, ...).
 */
final class ChartRbac {

  private static final List<PolicyRule> AUTHENTICATED = List.of(
      new PolicyRuleBuilder().withApiGroups("authorization.k8s.io")
          .withResources("selfsubjectaccessreviews", "selfsubjectrulesreviews").withVerbs("create").build(),
      new PolicyRuleBuilder().withNonResourceURLs("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
          "/openapi", "/openapi/*", "/readyz", "/version", "/version/").withVerbs("get").build());

  private final String user;
  private final List<PolicyRule> bound = new ArrayList<>();
  private final List<PolicyRule> clusterWide = new ArrayList<>(AUTHENTICATED);
  private final Map<String, List<PolicyRule>> byNamespace = new HashMap<>();

  private ChartRbac(String serviceAccountNamespace, String serviceAccountName) {
    this.user = "system:serviceaccount:" + serviceAccountNamespace + ":" + serviceAccountName;
  }

  /** The grants of the chart's bindings to the service account its Deployment runs as. */
  static ChartRbac of(List<HasMetadata> manifests) {
    List<Deployment> deployments = HelmChartTest.of(manifests, Deployment.class);
    if (deployments.size() != 1) {
      throw new IllegalArgumentException("expected one Deployment in the rendered chart, got " + deployments.size());
    }
    Deployment deployment = deployments.get(0);
    String accountNamespace = deployment.getMetadata().getNamespace();
    String accountName = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    ChartRbac rbac = new ChartRbac(accountNamespace, accountName);
    for (ClusterRoleBinding binding : HelmChartTest.of(manifests, ClusterRoleBinding.class)) {
      if (bindsTo(binding.getSubjects(), accountNamespace, accountName)) {
        List<PolicyRule> rules = rules(manifests, binding.getRoleRef(), null);
        rbac.clusterWide.addAll(rules);
        rbac.bound.addAll(rules);
      }
    }
    for (RoleBinding binding : HelmChartTest.of(manifests, RoleBinding.class)) {
      if (bindsTo(binding.getSubjects(), accountNamespace, accountName)) {
        String namespace = binding.getMetadata().getNamespace();
        List<PolicyRule> rules = rules(manifests, binding.getRoleRef(), namespace);
        rbac.byNamespace.computeIfAbsent(namespace, n -> new ArrayList<>()).addAll(rules);
        rbac.bound.addAll(rules);
      }
    }
    return rbac;
  }

  private static boolean bindsTo(List<Subject> subjects, String namespace, String name) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && name.equals(s.getName())
        && namespace.equals(s.getNamespace()));
  }

  /** The rules a binding refers to: a ClusterRole, or a Role of the binding's namespace. */
  private static List<PolicyRule> rules(List<HasMetadata> manifests, RoleRef ref, String bindingNamespace) {
    if (ref.getKind().equals("ClusterRole")) {
      return HelmChartTest.of(manifests, ClusterRole.class).stream()
          .filter(r -> r.getMetadata().getName().equals(ref.getName()))
          .findFirst().map(ClusterRole::getRules)
          .orElseThrow(() -> new IllegalArgumentException("a binding names ClusterRole " + ref.getName()
              + ", which the chart does not render"));
    }
    return HelmChartTest.of(manifests, Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName())
            && Objects.equals(r.getMetadata().getNamespace(), bindingNamespace))
        .findFirst().map(Role::getRules)
        .orElseThrow(() -> new IllegalArgumentException("a RoleBinding in " + bindingNamespace + " names Role "
            + ref.getName() + ", which the chart does not render there"));
  }

  /**
   * What the chart's bindings grant, wherever: one "group/resource: verb" line per verb (the core group empty),
   * e.g. {@code coordination.k8s.io/leases: patch}.
   */
  java.util.SortedSet<String> grantedVerbs() {
    java.util.SortedSet<String> lines = new java.util.TreeSet<>();
    for (PolicyRule rule : bound) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(verb -> lines.add(group + "/" + resource + ": " + verb));
        }
      }
    }
    return lines;
  }

  /** The user name Kubernetes gives the service account. */
  String user() {
    return user;
  }

  /** Whether the service account may make this request. */
  boolean grants(ApiAccess access) {
    if (clusterWide.stream().anyMatch(rule -> allows(rule, access))) {
      return true;
    }
    // rules of a RoleBinding apply to resource requests in its namespace only
    return access.resourceRequest() && !access.namespace().isEmpty()
        && byNamespace.getOrDefault(access.namespace(), List.of()).stream().anyMatch(rule -> allows(rule, access));
  }

  /** RuleAllows of Kubernetes' RBAC authorizer. */
  static boolean allows(PolicyRule rule, ApiAccess access) {
    if (!matches(rule.getVerbs(), access.verb())) {
      return false;
    }
    if (!access.resourceRequest()) {
      return rule.getNonResourceURLs().stream().anyMatch(url -> url.equals("*") || url.equals(access.path())
          || url.endsWith("*") && access.path().startsWith(url.substring(0, url.length() - 1)));
    }
    return matches(rule.getApiGroups(), access.group())
        && (rule.getResources().contains("*") || rule.getResources().contains(access.qualifiedResource())
            || !access.subresource().isEmpty() && rule.getResources().contains("*/" + access.subresource()))
        && (rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(access.name()));
  }

  private static boolean matches(List<String> values, String value) {
    return values.contains("*") || values.contains(value);
  }

  /** What the API server answers a SelfSubjectRulesReview of the service account for this namespace. */
  SelfSubjectRulesReview rulesReview(String namespace) {
    List<PolicyRule> rules = new ArrayList<>(clusterWide);
    rules.addAll(byNamespace.getOrDefault(namespace, List.of()));
    return new SelfSubjectRulesReviewBuilder()
        .withNewMetadata().endMetadata()
        .withNewSpec().withNamespace(namespace).endSpec()
        .withNewStatus().withIncomplete(false)
        .withResourceRules(rules.stream().filter(r -> !r.getResources().isEmpty())
            .map(r -> new ResourceRuleBuilder().withApiGroups(r.getApiGroups()).withResources(r.getResources())
                .withResourceNames(r.getResourceNames()).withVerbs(r.getVerbs()).build())
            .toList())
        .withNonResourceRules(rules.stream().filter(r -> !r.getNonResourceURLs().isEmpty())
            .map(r -> new NonResourceRuleBuilder().withNonResourceURLs(r.getNonResourceURLs())
                .withVerbs(r.getVerbs()).build())
            .toList())
        .endStatus().build();
  }

  /**
   * The API server's answer to a request RBAC refuses: HTTP 403 with a Status of reason Forbidden, worded as
   * k8s.io/apiserver/pkg/endpoints/handlers/responsewriters.ForbiddenStatusError words it.
   */
  Status forbidden(ApiAccess access) {
    String object = access.name().isEmpty() ? access.qualifiedResource()
        : access.qualifiedResource() + " \"" + access.name() + "\"";
    String message = object + " is forbidden: User \"" + user + "\" cannot " + access.verb() + " resource \""
        + access.qualifiedResource() + "\" in API group \"" + access.group() + "\""
        + (access.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + access.namespace() + "\"");
    return new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden").withMessage(message)
        .withNewDetails().withName(access.name().isEmpty() ? null : access.name()).withKind(access.resource())
        .endDetails().build();
  }
}
