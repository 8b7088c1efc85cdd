package io.serverlessdata.operator.scale;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JOSDK's reconcile hooks, timing every reconcile and remembering which resources were reconciled. It observes
 * beside the operator's own metrics (which time and wrap the reconcile as in production), from the start and end
 * of each reconcile's execution.
 */
final class ReconcileTimer implements Metrics {

  private long[] nanos = new long[1024];
  private int count;
  private final Set<ResourceID> reconciled = new HashSet<>();
  private long failures;

  private final Map<ResourceID, Long> started = new ConcurrentHashMap<>();

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    started.put(ResourceID.fromResource(resource), System.nanoTime());
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    ResourceID id = ResourceID.fromResource(resource);
    Long start = started.remove(id);
    if (start != null) {
      record(id, System.nanoTime() - start);
    }
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception,
      java.util.Map<String, Object> metadata) {
    synchronized (this) {
      failures++;
    }
  }

  private synchronized void record(ResourceID id, long elapsed) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = elapsed;
    reconciled.add(id);
  }

  synchronized void reset() {
    count = 0;
    reconciled.clear();
    failures = 0;
  }

  synchronized int reconciledResources() {
    return reconciled.size();
  }

  synchronized int reconciles() {
    return count;
  }

  synchronized long failures() {
    return failures;
  }

  /** The given percentile (0–100) of reconcile durations, in milliseconds. */
  synchronized double percentileMillis(double percentile) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(percentile / 100 * count) - 1));
    return sorted[index] / 1e6;
  }
}
