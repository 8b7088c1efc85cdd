package io.serverlessdata.operator.scale;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** JOSDK's metrics hook, timing every reconcile and remembering which resources were reconciled. */
final class ReconcileTimer implements Metrics {

  private long[] nanos = new long[1024];
  private int count;
  private final Set<ResourceID> reconciled = new HashSet<>();
  private long failures;

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      record(execution.resourceID(), System.nanoTime() - start);
    }
  }

  @Override
  public void failedReconciliation(io.fabric8.kubernetes.api.model.HasMetadata resource, Exception exception,
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
