package io.serverlessdata.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.serverlessdata.operator.api.ServerlessDataStack;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which updates of a resource start a reconcile. JOSDK's generation-aware filter alone would drop an update that
 * changes only annotations — and the operator is steered by annotations ({@link Annotations}: deletion policy,
 * adoption, read-only, allow-replacement, check-drift): a user who annotates expects the operator to act at once, not
 * at the next resync. So generation-aware processing is off and this filter takes its place: an update is reconciled
 * when the spec's generation moved, when an annotation the operator reads (its keys start with
 * {@value Annotations#OPERATOR_PREFIX} or {@value Annotations#ACK_PREFIX}) changed, when the resource was marked for
 * deletion, or when its finalizer was added (JOSDK reconciles after adding it) or went missing. The operator's own status patches change none of these, so they do
 * not come back as reconciles.
 */
public final class ReconcileTriggers implements OnUpdateFilter<ServerlessDataStack> {

  @Override
  public boolean accept(ServerlessDataStack updated, ServerlessDataStack old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !steering(updated).equals(steering(old))
        || (updated.isMarkedForDeletion() && !old.isMarkedForDeletion())
        || updated.hasFinalizer(ServerlessDataStackReconciler.FINALIZER)
            != old.hasFinalizer(ServerlessDataStackReconciler.FINALIZER);
  }

  /** The annotations the operator reads, sorted. */
  static Map<String, String> steering(ServerlessDataStack resource) {
    Map<String, String> steering = new TreeMap<>();
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.forEach((key, value) -> {
        if (key.startsWith(Annotations.OPERATOR_PREFIX) || key.startsWith(Annotations.ACK_PREFIX)) {
          steering.put(key, value);
        }
      });
    }
    return steering;
  }
}
