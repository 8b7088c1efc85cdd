package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart through real Helm (helm-java): lint, then templates rendered with several values, parsed. */
class HelmChartTest {

  private static final Path REPO = Path.of(System.getProperty("sds.repoRoot", ".."));
  private static final Path CHART = REPO.resolve("helm/serverless-data-stack-operator");
  private static final String CRD = "serverlessdatastacks.serverlessdata.io-v1.yml";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  /** The chart's full name for release {@code sds}. */
  static final String FULLNAME = "sds-serverless-data-stack-operator";

  @Test
  void chartPassesHelmLintStrict() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void chartCarriesTheCrdOfTheRepositoryByteForByte() throws IOException {
    assertThat(Files.readAllBytes(CHART.resolve("crds").resolve(CRD)))
        .as("helm/serverless-data-stack-operator/crds/%s must equal crds/%s: cp crds/%s %s/crds/", CRD, CRD, CRD, CHART)
        .isEqualTo(Files.readAllBytes(REPO.resolve("crds").resolve(CRD)));
  }

  @Test
  void defaultInstallWatchesEveryNamespaceWithAClusterRoleOfExactlyTheVerbsTheOperatorUses() throws IOException {
    List<HasMetadata> manifests = render("");

    ClusterRole role = only(manifests, ClusterRole.class);
    assertThat(rules(role.getRules())).containsExactlyInAnyOrder(
        "serverlessdata.io/serverlessdatastacks: get,list,patch,watch",
        "serverlessdata.io/serverlessdatastacks/status: update",
        "/events: create",
        "/namespaces: get");
    assertThat(of(manifests, Role.class)).as("no Roles: no export namespaces, no leader election with one replica")
        .isEmpty();
    assertThat(env(deployment(manifests))).containsEntry("SDS_WATCH_NAMESPACES", "")
        .containsEntry("SDS_LEADER_ELECTION", "false")
        .containsEntry("SDS_LOG_FORMAT", "text")
        .containsEntry("AWS_REGION", "us-east-1");
    assertThat(kinds(manifests)).doesNotContain("PodDisruptionBudget", "ServiceMonitor").contains("Service");
  }

  @Test
  void noRuleOfAnyValuesGrantsAWildcard() throws IOException {
    for (String values : VALUE_COMBINATIONS) {
      List<HasMetadata> manifests = render(values);
      List<PolicyRule> all = new ArrayList<>();
      of(manifests, ClusterRole.class).forEach(r -> all.addAll(r.getRules()));
      of(manifests, Role.class).forEach(r -> all.addAll(r.getRules()));
      assertThat(all).as(values).isNotEmpty().allSatisfy(rule -> {
        assertThat(rule.getVerbs()).doesNotContain("*");
        assertThat(rule.getResources()).doesNotContain("*");
        assertThat(rule.getApiGroups()).doesNotContain("*");
      });
    }
  }

  /** Installs worth checking every invariant against: both scopes, export lists, leader election. */
  private static final List<String> VALUE_COMBINATIONS = List.of(
      "",
      "exportTo:\n  enabled: false\n",
      "exportTo:\n  namespaces: [team-a, team-b]\n",
      "deployment:\n  replicas: 3\nexportTo:\n  namespaces: [team-a]\n",
      "installScope: namespace\n",
      "installScope: namespace\nexportTo:\n  enabled: false\n",
      "watchNamespace: a,b\ndeployment:\n  replicas: 3\n",
      "watchNamespace: a,b\nexportTo:\n  namespaces: [b]\n",
      "leaderElection:\n  enabled: true\n  leaseName: other-lease\n");

  @Test
  void secretsAndConfigMapsAreGrantedOnlyByTheExportRolesOfTheExportNamespaces() throws IOException {
    for (String values : VALUE_COMBINATIONS) {
      List<HasMetadata> manifests = render(values);
      assertThat(of(manifests, ClusterRole.class)).as(values).allSatisfy(r -> assertThat(r.getRules())
          .noneSatisfy(rule -> assertThat(rule.getResources()).containsAnyOf("secrets", "configmaps")));
      assertThat(of(manifests, Role.class).stream()
          .filter(r -> r.getRules().stream().anyMatch(rule -> rule.getResources().contains("secrets")
              || rule.getResources().contains("configmaps"))))
          .as(values).allSatisfy(r -> assertThat(r.getMetadata().getName()).isEqualTo(FULLNAME + "-export"));
    }
  }

  @Test
  void clusterScopeGrantsNoSecretsNorConfigMapsUnlessNamespacesAreListedForExport() throws IOException {
    assertThat(exportRoles(render(""))).isEmpty();
    assertThat(exportRoles(render("exportTo:\n  enabled: false\n"))).isEmpty();

    List<HasMetadata> manifests = render("exportTo:\n  namespaces: [team-a, team-b, team-a]\n");
    assertThat(exportRoles(manifests)).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(exportRoles(manifests)).allSatisfy(r -> assertThat(rules(r.getRules())).containsExactlyInAnyOrder(
        "/configmaps: create,delete,get,update",
        "/secrets: create,delete,get,update"));
    assertThat(of(manifests, RoleBinding.class)).allSatisfy(b -> {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(b.getRoleRef().getName()).isEqualTo(b.getMetadata().getName());
      assertThat(b.getSubjects()).singleElement().satisfies(subject -> {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(FULLNAME);
        assertThat(subject.getNamespace()).isEqualTo("sds-system");
      });
    }).extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(rules(only(manifests, ClusterRole.class).getRules()))
        .noneMatch(rule -> rule.contains("secrets") || rule.contains("configmaps") || rule.contains("finalizers"));
  }

  @Test
  void namespaceScopeExportsInEveryWatchedNamespaceUnlessAListNarrowsItOrExportIsOff() throws IOException {
    assertThat(exportRoles(render("watchNamespace: team-a, team-b\n")))
        .extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(exportRoles(render("installScope: namespace\n")))
        .extracting(r -> r.getMetadata().getNamespace()).containsExactly("sds-system");
    assertThat(exportRoles(render("watchNamespace: team-a, team-b\nexportTo:\n  namespaces: [team-b]\n")))
        .extracting(r -> r.getMetadata().getNamespace()).containsExactly("team-b");
    assertThat(exportRoles(render("watchNamespace: team-a, team-b\nexportTo:\n  enabled: false\n"))).isEmpty();
  }

  @Test
  void contradictoryExportValuesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> render("watchNamespace: team-a\nexportTo:\n  namespaces: [team-a, team-c]\n"))
        .hasMessageContaining("exportTo.namespaces: team-c is not a watched namespace (team-a)");
    assertThatThrownBy(() -> render("exportTo:\n  enabled: false\n  namespaces: [team-a]\n"))
        .hasMessageContaining("exportTo.namespaces lists team-a but exportTo.enabled is false");
    assertThatThrownBy(() -> render("exportTo:\n  namespaces: ['*']\n"))
        .hasMessageContaining("exportTo.namespaces: \"*\" is not a namespace name");
    assertThatThrownBy(() -> render("exportTo:\n  namespaces: team-a,team-b\n"))
        .hasMessageContaining("exportTo.namespaces must be a list of namespaces");
  }

  @Test
  void watchedNamespacesGetARoleEachAndReadAccessToOnlyThoseNamespaces() throws IOException {
    List<HasMetadata> manifests = render("watchNamespace: team-a, team-b\n");

    List<Role> roles = of(manifests, Role.class).stream().filter(r -> r.getMetadata().getName().equals(FULLNAME))
        .toList();
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(roles).allSatisfy(r -> assertThat(rules(r.getRules())).containsExactlyInAnyOrder(
        "serverlessdata.io/serverlessdatastacks: get,list,patch,watch",
        "serverlessdata.io/serverlessdatastacks/status: update",
        "/events: create"));
    assertThat(of(manifests, RoleBinding.class))
        .extracting(b -> b.getMetadata().getNamespace() + " " + b.getRoleRef().getName())
        .containsExactlyInAnyOrder("team-a " + FULLNAME, "team-b " + FULLNAME, "team-a " + FULLNAME + "-export",
            "team-b " + FULLNAME + "-export");
    ClusterRole namespaces = only(manifests, ClusterRole.class);
    assertThat(namespaces.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("namespaces");
      assertThat(rule.getResourceNames()).containsExactly("team-a", "team-b");
      assertThat(rule.getVerbs()).containsExactly("get");
    });
    assertThat(env(deployment(manifests))).containsEntry("SDS_WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void namespaceScopeWithoutAListWatchesTheReleaseNamespace() throws IOException {
    List<HasMetadata> manifests = render("installScope: namespace\n");
    assertThat(of(manifests, Role.class)).extracting(r -> r.getMetadata().getNamespace() + " " + r.getMetadata().getName())
        .containsExactlyInAnyOrder("sds-system " + FULLNAME, "sds-system " + FULLNAME + "-export");
    assertThat(env(deployment(manifests))).containsEntry("SDS_WATCH_NAMESPACES", "sds-system");
  }

  @Test
  void severalReplicasElectALeaderWithALeaseRoleAndKeepOneUpWithABudget() throws IOException {
    List<HasMetadata> manifests = render("deployment:\n  replicas: 2\nserviceMonitor:\n  enabled: true\n");

    assertThat(env(deployment(manifests))).containsEntry("SDS_LEADER_ELECTION", "true")
        .containsEntry("SDS_LEASE_NAME", "serverless-data-stack-operator");
    Role lease = only(manifests, Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("sds-system");
    // create cannot be limited by name; fabric8 renews and takes over the lease with a PATCH; JOSDK's start-up
    // check demands update as well
    assertThat(rules(lease.getRules())).containsExactlyInAnyOrder(
        "coordination.k8s.io/leases: create",
        "coordination.k8s.io/leases[serverless-data-stack-operator]: get,patch,update");
    assertThat(kinds(manifests)).contains("PodDisruptionBudget", "ServiceMonitor");
    io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget budget =
        only(manifests, io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void theLeaseRoleNamesTheConfiguredLease() throws IOException {
    List<HasMetadata> manifests = render("leaderElection:\n  enabled: true\n  leaseName: other-lease\n");
    assertThat(env(deployment(manifests))).containsEntry("SDS_LEASE_NAME", "other-lease");
    assertThat(rules(only(manifests, Role.class).getRules()))
        .contains("coordination.k8s.io/leases[other-lease]: get,patch,update");
  }

  @Test
  void installDocListsExactlyTheRulesTheChartRenders() throws IOException {
    Set<String> rendered = new TreeSet<>();
    for (String values : List.of("deployment:\n  replicas: 2\nexportTo:\n  namespaces: [team-a]\n",
        "watchNamespace: team-a\ndeployment:\n  replicas: 2\n")) {
      List<HasMetadata> manifests = render(values);
      of(manifests, ClusterRole.class).forEach(r -> rendered.addAll(keys(r.getMetadata().getName(), "ClusterRole",
          r.getRules())));
      of(manifests, Role.class).forEach(r -> rendered.addAll(keys(r.getMetadata().getName(), "Role", r.getRules())));
    }

    List<String> rows = Files.readAllLines(REPO.resolve("docs/install.md")).stream()
        .dropWhile(l -> !l.equals("### What the chart grants"))
        .filter(l -> l.startsWith("| `sds-"))
        .toList();
    Set<String> documented = new TreeSet<>();
    for (String row : rows) {
      List<String> cells = List.of(row.substring(1, row.length() - 1).split("\\|", -1)).stream().map(String::trim)
          .toList();
      assertThat(cells).as(row).hasSize(8);
      for (String kind : cells(cells.get(1))) {
        for (String resource : cells(cells.get(4))) {
          documented.add(cells(cells.get(0)).get(0) + " " + kind + " " + cells(cells.get(3)).get(0).replace("\"\"", "")
              + "/" + resource + (cells.get(5).isEmpty() ? "" : "[named]") + ": "
              + cells(cells.get(6)).stream().sorted().collect(Collectors.joining(",")));
        }
      }
    }
    assertThat(documented).as("docs/install.md, \"What the chart grants\"").isEqualTo(rendered);
  }

  /** A table cell's comma-separated values, without backticks. */
  private static List<String> cells(String cell) {
    return List.of(cell.replace("`", "").split(",")).stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
  }

  private static List<String> keys(String role, String kind, List<PolicyRule> rules) {
    List<String> keys = new ArrayList<>();
    for (PolicyRule rule : rules) {
      String verbs = rule.getVerbs().stream().sorted().collect(Collectors.joining(","));
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          keys.add(role + " " + kind + " " + group + "/" + resource + (rule.getResourceNames().isEmpty() ? "" : "[named]")
              + ": " + verbs);
        }
      }
    }
    return keys;
  }

  @Test
  void twoReplicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(() -> render("deployment:\n  replicas: 2\nleaderElection:\n  enabled: false\n"))
        .hasMessageContaining("leaderElection.enabled");
  }

  @Test
  void podRunsUnderTheRestrictedPodSecurityStandard() throws IOException {
    PodSpec pod = deployment(render("")).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void serviceAccountCarriesTheIrsaAnnotationAndTheOperatorItsServiceRole() throws IOException {
    List<HasMetadata> manifests = render("""
        serviceAccount:
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/sds-operator
        aws:
          cloudFormationRoleArn: arn:aws:iam::123456789012:role/sds-cloudformation
        log:
          format: json
        driftDetection:
          defaultIntervalMinutes: 15
        reconcile:
          awsCallsPerSecond: 3
        """);
    ServiceAccount account = only(manifests, ServiceAccount.class);
    assertThat(account.getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/sds-operator");
    Deployment deployment = deployment(manifests);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(env(deployment))
        .containsEntry("SDS_CLOUDFORMATION_ROLE_ARN", "arn:aws:iam::123456789012:role/sds-cloudformation")
        .containsEntry("SDS_LOG_FORMAT", "json")
        .containsEntry("SDS_DRIFT_INTERVAL_MINUTES", "15")
        .containsEntry("SDS_AWS_CALLS_PER_SECOND", "3")
        .containsEntry("SDS_RESYNC_INTERVAL", "PT30M");
  }

  @Test
  void aDriftIntervalBelowFiveMinutesIsRefused() {
    assertThatThrownBy(() -> render("driftDetection:\n  defaultIntervalMinutes: 2\n"))
        .hasMessageContaining("driftDetection.defaultIntervalMinutes must be at least 5");
  }

  @Test
  void anotherRegionIsRefused() {
    assertThatThrownBy(() -> render("aws:\n  region: eu-west-1\n")).hasMessageContaining("us-east-1 only");
  }

  /** The chart rendered with these values (YAML), as {@code helm template sds -n sds-system -f values.yaml}. */
  static List<HasMetadata> render(String values) throws IOException {
    Path file = Files.createTempFile("values", ".yaml");
    try {
      Files.writeString(file, values);
      TemplateCommand template = new Helm(CHART).template().withName("sds").withNamespace("sds-system")
          .withValuesFile(file);
      return parse(template.call());
    } finally {
      Files.delete(file);
    }
  }

  /** The chart rendered with its default values, as {@code helm template sds -n sds-system} prints it. */
  static List<HasMetadata> renderDefaults() {
    return parse(new Helm(CHART).template().withName("sds").withNamespace("sds-system").call());
  }

  /** The chart rendered with {@code deployment.replicas} set. */
  static List<HasMetadata> renderWithReplicas(int replicas) {
    return parse(new Helm(CHART).template().withName("sds").withNamespace("sds-system")
        .set("deployment.replicas", replicas).call());
  }

  private static List<HasMetadata> parse(String rendered) {
    List<HasMetadata> manifests = new ArrayList<>();
    for (String document : rendered.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        manifests.add(YAML.unmarshal(document, HasMetadata.class));
      }
    }
    return manifests;
  }

  static <T extends HasMetadata> List<T> of(List<HasMetadata> manifests, Class<T> type) {
    return manifests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> manifests, Class<T> type) {
    List<T> found = of(manifests, type);
    assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static Deployment deployment(List<HasMetadata> manifests) {
    return only(manifests, Deployment.class);
  }

  private static Set<String> kinds(List<HasMetadata> manifests) {
    return manifests.stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /** The Roles that grant spec.exportTo in a namespace. */
  private static List<Role> exportRoles(List<HasMetadata> manifests) {
    return of(manifests, Role.class).stream().filter(r -> r.getMetadata().getName().equals(FULLNAME + "-export"))
        .toList();
  }

  /**
   * Each rule as "group/resource: verbs" (verbs sorted), one line per resource; resource names, if any, in
   * brackets after the resource.
   */
  static List<String> rules(List<PolicyRule> rules) {
    List<String> lines = new ArrayList<>();
    for (PolicyRule rule : rules) {
      String verbs = rule.getVerbs().stream().sorted().collect(Collectors.joining(","));
      String names = rule.getResourceNames().isEmpty() ? "" : "[" + String.join(",", rule.getResourceNames()) + "]";
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          lines.add(group + "/" + resource + names + ": " + verbs);
        }
      }
    }
    return lines;
  }
}
