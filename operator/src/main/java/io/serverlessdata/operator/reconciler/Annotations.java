package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The annotations that steer the operator, with ACK's keys and meanings. The deletion policy can also be set
 * on the namespace, as a default for its resources.
 */
public final class Annotations {

  /** The prefix of ACK's annotations. */
  public static final String ACK_PREFIX = "services.k8s.aws/";
  /** The prefix of the operator's own annotations. */
  public static final String OPERATOR_PREFIX = "serverlessdata.io/";

  public static final String DELETION_POLICY = "services.k8s.aws/deletion-policy";
  public static final String ADOPTION_POLICY = "services.k8s.aws/adoption-policy";
  public static final String READ_ONLY = "services.k8s.aws/read-only";
  public static final String ALLOW_REPLACEMENT = "serverlessdata.io/allow-replacement";
  /**
   * Lets a new stack take over a retained table or bucket of its name whose tags do not say it is this resource's
   * ({@code true}); without it, only data tagged with this resource's namespace and name is imported.
   */
  public static final String ADOPT_DATA = "serverlessdata.io/adopt-data";
  /**
   * Asks for a drift detection now: each new value (e.g. a time stamp) asks once, like Flux's
   * {@code reconcile.fluxcd.io/requestedAt}.
   */
  public static final String CHECK_DRIFT = "serverlessdata.io/check-drift";

  /**
   * Approves the change set it names, under {@code spec.changeApproval: Manual}: that change set, and only it, is
   * executed once.
   */
  public static final String APPROVE = "serverlessdata.io/approve";

  /** What becomes of the stack when the resource is deleted. */
  public enum DeletionPolicy {
    /** Delete the stack (the default); data survives as the spec's {@code dataRetention} says. */
    DELETE,
    /** Let go of the stack and leave it running. */
    RETAIN
  }

  private Annotations() {}

  public static boolean readOnly(HasMetadata resource) {
    return "true".equalsIgnoreCase(get(resource, READ_ONLY).orElse(""));
  }

  public static boolean adopt(HasMetadata resource) {
    return get(resource, ADOPTION_POLICY).map(v -> v.equalsIgnoreCase("adopt")).orElse(false);
  }

  public static boolean adoptData(HasMetadata resource) {
    return "true".equalsIgnoreCase(get(resource, ADOPT_DATA).orElse(""));
  }

  public static boolean allowReplacement(HasMetadata resource) {
    return "true".equalsIgnoreCase(get(resource, ALLOW_REPLACEMENT).orElse(""));
  }

  /** The value of the drift-check request, if any. */
  public static Optional<String> checkDrift(HasMetadata resource) {
    return get(resource, CHECK_DRIFT).filter(v -> !v.isEmpty());
  }

  /** The change set the resource's approval names, if any. */
  public static Optional<String> approval(HasMetadata resource) {
    return get(resource, APPROVE).filter(v -> !v.isEmpty());
  }

  /**
   * The resource's deletion policy, else its namespace's, else {@code delete}.
   *
   * @param namespaceAnnotations the annotations of the resource's namespace (empty when unknown)
   */
  public static DeletionPolicy deletionPolicy(HasMetadata resource, Map<String, String> namespaceAnnotations) {
    String value = get(resource, DELETION_POLICY)
        .orElse(Objects.requireNonNullElse(namespaceAnnotations, Map.<String, String>of()).getOrDefault(DELETION_POLICY, ""));
    return value.toLowerCase(Locale.ROOT).equals("retain") ? DeletionPolicy.RETAIN : DeletionPolicy.DELETE;
  }

  private static Optional<String> get(HasMetadata resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(key)).map(String::trim);
  }
}
