package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ExportedObjects;
import io.serverlessdata.operator.cloudformation.ApiKeys;
import io.serverlessdata.operator.cloudformation.RejectedStackOperationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Copies a synced stack's outputs into the objects {@code spec.exportTo} names, in the resource's namespace, like
 * ACK's FieldExport and Crossplane's connection secrets:
 *
 * <ul>
 *   <li>a ConfigMap with every output, one key each;
 *   <li>a Secret (type {@code Opaque}) with {@code endpoint} and {@code apiKey}, the API key's value read from API
 *       Gateway only when the {@code ApiKeyId} output differs from the one the Secret was written for (kept in
 *       its {@value #API_KEY_ID_ANNOTATION} annotation) or the Secret lacks the value: a rotated key reaches the
 *       Secret on the next pass after the stack reports it.
 * </ul>
 *
 * <p>Both carry a controller ownerReference to the resource, so Kubernetes' garbage collector deletes them with it,
 * and the operator's labels. An object of that name the resource does not own is never touched: the
 * {@value ConditionTypes#EXPORTED} condition turns false (and with it {@code Ready}) and a Warning event names it.
 * Objects are written only when their content differs, with plain get/create/update (optimistic locking on the
 * resource version) and delete for the ones the spec no longer names ({@code status.exports} remembers them).
 * The key's value never goes into the status, events or logs.
 *
 * <p>Errors: a Kubernetes or API Gateway fault that may clear up is thrown, so the reconcile is retried with
 * backoff ({@code ACK.Recoverable}); a refusal (no such key, access denied, forbidden by RBAC) is reported in the
 * condition and looked at again on the next pass.
 */
final class OutputExporter {

  static final String API_KEY_ID_ANNOTATION = "serverlessdata.io/api-key-id";
  static final String ENDPOINT = "endpoint";
  static final String API_KEY = "apiKey";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String OWNER_UID_LABEL = "serverlessdata.io/owner-uid";
  static final String ENDPOINT_OUTPUT = "ApiEndpoint";
  static final String API_KEY_ID_OUTPUT = "ApiKeyId";

  private final ApiKeys apiKeys;

  OutputExporter(ApiKeys apiKeys) {
    this.apiKeys = apiKeys;
  }

  /**
   * What the export step did: the fifth value of the pass.
   *
   * @param exports the objects the resource owns and that hold its outputs (null: none)
   * @param condition the {@value ConditionTypes#EXPORTED} condition's status, reason and message; empty when
   *     {@code spec.exportTo} names nothing
   * @param done what changed, for a Normal event (empty: nothing)
   */
  record Export(ExportedObjects exports, Optional<Report> condition, Optional<String> done) {

    /** Nothing to export (no outputs yet): what the status recorded stands. */
    static Export unchanged(ExportedObjects exports, Optional<Condition> recorded) {
      return new Export(exports, recorded.map(c -> new Report(c.getStatus(), c.getReason(), c.getMessage())),
          Optional.empty());
    }
  }

  /**
   * The {@value ConditionTypes#EXPORTED} condition.
   *
   * @param status True or False
   * @param reason Exported, ExportConflict, ExportRefused, ...
   * @param message for people; never a secret value
   */
  record Report(String status, String reason, String message) {

    boolean failed() {
      return "False".equals(status);
    }
  }

  /** Whether an object of the exported name is absent, the resource's, or someone else's. */
  enum Ownership { ABSENT, OWNED, FOREIGN }

  /** A reason the export did not (fully) happen, for the condition: never a secret value. */
  private record Problem(String reason, String message) {}

  /**
   * Brings the exported objects in line with the outputs and {@code spec.exportTo}; returns what the resource owns
   * now and the outcome for the {@value ConditionTypes#EXPORTED} condition.
   *
   * @param outputs the stack's outputs
   * @param exported the objects the status recorded as the resource's
   */
  Export export(ServerlessDataStack resource, ResolvedSpec spec, Map<String, String> outputs,
      ExportedObjects exported, KubernetesClient client) {
    ExportedObjects before = Objects.requireNonNullElse(exported, new ExportedObjects(null, null));
    String namespace = resource.getMetadata().getNamespace();
    List<Problem> problems = new ArrayList<>();
    List<String> done = new ArrayList<>();

    String configMap = null;
    if (spec.configMapName().isPresent()) {
      String name = spec.configMapName().get();
      try {
        configMap = exportConfigMap(resource, client, name, outputs, problems, done);
      } catch (KubernetesClientException e) {
        configMap = refusal(e, "ConfigMap", namespace, name, problems) && name.equals(before.configMapName()) ? name
            : null;
      }
    }
    String secret = null;
    if (spec.secretName().isPresent()) {
      String name = spec.secretName().get();
      try {
        secret = exportSecret(resource, client, name, outputs, problems, done);
      } catch (KubernetesClientException e) {
        secret = refusal(e, "Secret", namespace, name, problems) && name.equals(before.secretName()) ? name : null;
      }
    }
    // objects the spec no longer names (renamed or removed): delete them if they are still ours
    if (before.configMapName() != null && !before.configMapName().equals(spec.configMapName().orElse(null))) {
      deleteIfOwned(resource, client.configMaps().inNamespace(namespace).withName(before.configMapName()).get(),
          () -> client.configMaps().inNamespace(namespace).withName(before.configMapName()).delete(), done);
    }
    if (before.secretName() != null && !before.secretName().equals(spec.secretName().orElse(null))) {
      deleteIfOwned(resource, client.secrets().inNamespace(namespace).withName(before.secretName()).get(),
          () -> client.secrets().inNamespace(namespace).withName(before.secretName()).delete(), done);
    }
    return new Export(configMap == null && secret == null ? null : new ExportedObjects(configMap, secret),
        report(spec, configMap, secret, problems), done.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", done)));
  }

  /** The ConfigMap's name once it holds the outputs and is the resource's; null otherwise. */
  private String exportConfigMap(ServerlessDataStack resource, KubernetesClient client, String name,
      Map<String, String> outputs, List<Problem> problems, List<String> done) {
    var target = client.configMaps().inNamespace(resource.getMetadata().getNamespace()).withName(name);
    ConfigMap existing = target.get();
    switch (ownership(existing, resource.getMetadata().getUid())) {
      case FOREIGN -> {
        problems.add(conflict(resource, "ConfigMap", name, "spec.exportTo.configMapName"));
        return null;
      }
      case ABSENT -> {
        client.configMaps().inNamespace(resource.getMetadata().getNamespace()).resource(new ConfigMapBuilder()
            .withMetadata(metadata(resource, name, Map.of()))
            .withData(new TreeMap<>(outputs))
            .build()).create();
        done.add("created ConfigMap " + name + " with outputs " + String.join(", ", outputs.keySet()));
        return name;
      }
      default -> {
        if (!configMapCurrent(existing, resource, outputs)) {
          ConfigMap updated = new ConfigMapBuilder(existing)
              .editMetadata().addToLabels(labels(resource)).endMetadata()
              .withData(new TreeMap<>(outputs))
              .build();
          client.configMaps().inNamespace(resource.getMetadata().getNamespace()).resource(updated).update();
          done.add("updated ConfigMap " + name);
        }
        return name;
      }
    }
  }

  /** The Secret's name once it holds the endpoint and key and is the resource's; null otherwise. */
  private String exportSecret(ServerlessDataStack resource, KubernetesClient client, String name,
      Map<String, String> outputs, List<Problem> problems, List<String> done) {
    String namespace = resource.getMetadata().getNamespace();
    String endpoint = outputs.get(ENDPOINT_OUTPUT);
    String keyId = outputs.get(API_KEY_ID_OUTPUT);
    if (endpoint == null || keyId == null) {
      problems.add(new Problem("OutputMissing", "the stack has no " + (endpoint == null ? ENDPOINT_OUTPUT : API_KEY_ID_OUTPUT)
          + " output, so Secret " + name + " cannot be written"));
      return null;
    }
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    Ownership ownership = ownership(existing, resource.getMetadata().getUid());
    if (ownership == Ownership.FOREIGN) {
      problems.add(conflict(resource, "Secret", name, "spec.exportTo.secretName"));
      return null;
    }
    if (ownership == Ownership.OWNED && secretCurrent(existing, resource, endpoint, keyId)) {
      return name;
    }
    String encodedKey;
    if (needsKeyRead(existing, keyId)) {
      try {
        encodedKey = encode(apiKeys.value(keyId));
      } catch (RejectedStackOperationException e) {
        problems.add(new Problem("ApiKeyUnavailable", "cannot read API key " + keyId + " for Secret " + name
            + ": " + e.errorCode() + ": " + e.getMessage()));
        return ownership == Ownership.OWNED ? name : null;
      }
    } else {
      encodedKey = existing.getData().get(API_KEY);
    }
    Map<String, String> data = new TreeMap<>(Map.of(ENDPOINT, encode(endpoint), API_KEY, encodedKey));
    var secrets = client.secrets().inNamespace(namespace);
    if (ownership == Ownership.OWNED && "Opaque".equals(existing.getType())) {
      Secret updated = new SecretBuilder(existing)
          .editMetadata().addToLabels(labels(resource)).addToAnnotations(API_KEY_ID_ANNOTATION, keyId).endMetadata()
          .withData(data)
          .withStringData(null)
          .build();
      secrets.resource(updated).update();
      done.add("updated Secret " + name + (keyId.equals(annotation(existing)) ? "" : " for API key " + keyId));
      return name;
    }
    if (ownership == Ownership.OWNED) {
      // the type of a Secret cannot change: replace our own
      secrets.withName(name).delete();
    }
    secrets.resource(new SecretBuilder()
        .withMetadata(metadata(resource, name, Map.of(API_KEY_ID_ANNOTATION, keyId)))
        .withType("Opaque")
        .withData(data)
        .build()).create();
    done.add("created Secret " + name + " with endpoint and API key " + keyId);
    return name;
  }

  private void deleteIfOwned(ServerlessDataStack resource, HasMetadata existing, Runnable delete, List<String> done) {
    if (ownership(existing, resource.getMetadata().getUid()) == Ownership.OWNED) {
      delete.run();
      done.add("deleted " + existing.getKind() + " " + existing.getMetadata().getName()
          + " (no longer named in spec.exportTo)");
    }
  }

  /** The {@value ConditionTypes#EXPORTED} condition, and a Warning event when a new problem appears. */
  /** The {@value ConditionTypes#EXPORTED} condition's content; empty when {@code spec.exportTo} names nothing. */
  private static Optional<Report> report(ResolvedSpec spec, String configMap, String secret, List<Problem> problems) {
    if (!problems.isEmpty()) {
      return Optional.of(new Report("False", problems.get(0).reason(),
          String.join("; ", problems.stream().map(Problem::message).toList())));
    }
    if (spec.configMapName().isEmpty() && spec.secretName().isEmpty()) {
      return Optional.empty();
    }
    List<String> where = new ArrayList<>();
    Optional.ofNullable(configMap).ifPresent(n -> where.add("every output in ConfigMap " + n));
    Optional.ofNullable(secret).ifPresent(n -> where.add(ENDPOINT + " and " + API_KEY + " in Secret " + n));
    return Optional.of(new Report("True", "Exported", String.join("; ", where)));
  }

  private static Problem conflict(ServerlessDataStack resource, String kind, String name, String field) {
    return new Problem("ExportConflict", kind + " " + resource.getMetadata().getNamespace() + "/" + name
        + " exists and is not owned by this resource, so it is left alone; delete it or choose another " + field);
  }

  static Ownership ownership(HasMetadata existing, String uid) {
    if (existing == null) {
      return Ownership.ABSENT;
    }
    return existing.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()))
        ? Ownership.OWNED : Ownership.FOREIGN;
  }

  /** Whether an owned ConfigMap already holds exactly the outputs, with the operator's labels. */
  static boolean configMapCurrent(ConfigMap existing, ServerlessDataStack resource, Map<String, String> outputs) {
    return outputs.equals(Objects.requireNonNullElse(existing.getData(), Map.of()))
        && hasLabels(existing, resource);
  }

  /** Whether an owned Secret already holds this endpoint and the value of this key, with the operator's labels. */
  static boolean secretCurrent(Secret existing, ServerlessDataStack resource, String endpoint, String keyId) {
    Map<String, String> data = Objects.requireNonNullElse(existing.getData(), Map.of());
    return "Opaque".equals(existing.getType())
        && keyId.equals(annotation(existing))
        && data.keySet().equals(Set.of(ENDPOINT, API_KEY))
        && encode(endpoint).equals(data.get(ENDPOINT))
        && hasLabels(existing, resource);
  }

  /** Whether the key's value must be read from API Gateway: the Secret has none, or one for another key. */
  static boolean needsKeyRead(Secret existing, String keyId) {
    return existing == null
        || !keyId.equals(annotation(existing))
        || existing.getData() == null
        || existing.getData().get(API_KEY) == null
        || existing.getData().get(API_KEY).isEmpty();
  }

  private static String annotation(Secret secret) {
    return secret.getMetadata().getAnnotations() == null ? null
        : secret.getMetadata().getAnnotations().get(API_KEY_ID_ANNOTATION);
  }

  private static boolean hasLabels(HasMetadata existing, ServerlessDataStack resource) {
    Map<String, String> labels = Objects.requireNonNullElse(existing.getMetadata().getLabels(), Map.of());
    return labels.entrySet().containsAll(labels(resource).entrySet());
  }

  static Map<String, String> labels(ServerlessDataStack resource) {
    return Map.of(MANAGED_BY, EventRecorder.COMPONENT, OWNER_UID_LABEL, resource.getMetadata().getUid());
  }

  /** The controller reference that lets Kubernetes' garbage collector delete the object with the resource. */
  static OwnerReference ownerReference(ServerlessDataStack resource) {
    return new OwnerReferenceBuilder()
        .withApiVersion(resource.getApiVersion())
        .withKind(resource.getKind())
        .withName(resource.getMetadata().getName())
        .withUid(resource.getMetadata().getUid())
        .withController(true)
        .build();
  }

  private static ObjectMeta metadata(
      ServerlessDataStack resource, String name, Map<String, String> annotations) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(resource.getMetadata().getNamespace())
        .withLabels(new HashMap<>(labels(resource)))
        .withAnnotations(annotations.isEmpty() ? null : new HashMap<>(annotations))
        .withOwnerReferences(ownerReference(resource))
        .build();
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reports a Kubernetes refusal that retrying does not cure (403 forbidden by RBAC, 422 invalid) as a problem;
   * rethrows anything else (conflicts, server errors) for a retry with backoff. The report quotes the HTTP code
   * and reason only: the server's message may echo the object. A 403 names the grant that is missing and the
   * chart value that gives it: RBAC cannot narrow the verbs to the objects the operator made, so the chart grants
   * them only in the namespaces {@code exportTo.namespaces} lists.
   */
  private static boolean refusal(KubernetesClientException e, String kind, String namespace, String name,
      List<Problem> problems) {
    if (e.getCode() != 403 && e.getCode() != 422) {
      throw e;
    }
    String reason = e.getStatus() == null || e.getStatus().getReason() == null ? "" : " " + e.getStatus().getReason();
    if (e.getCode() == 403) {
      problems.add(new Problem("ExportRefused", kind + " " + namespace + "/" + name + ": the API server refused"
          + " access (HTTP 403" + reason + "); exporting needs get, create, update and delete on "
          + kind.toLowerCase(Locale.ROOT) + "s in namespace " + namespace + ", which the Helm chart grants when"
          + " exportTo.namespaces lists " + namespace + " (and exportTo.enabled is true)"));
    } else {
      problems.add(new Problem("ExportRefused", "the API server refused writing " + kind + " " + name + ": HTTP "
          + e.getCode() + reason));
    }
    return true;
  }
}
