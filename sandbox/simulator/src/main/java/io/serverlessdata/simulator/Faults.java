package io.serverlessdata.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Failures armed by a test for the simulated stacks, each used up by the first operation it applies to.
 * Failures of the HTTP exchange itself (throttling, server errors) are the simulator's.
 */
final class Faults {

  /** A resource that fails, and CloudFormation's reason. */
  record ResourceFailure(String logicalId, String reason) {}

  private final Map<String, String> failingResources = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> failingResourcesByStack = new LinkedHashMap<>();
  private final Map<String, String> failingDeletes = new LinkedHashMap<>();
  private int failingRollbacks;
  private final java.util.Deque<String> failingDetections = new java.util.ArrayDeque<>();

  void failResource(String logicalId, String reason) {
    failingResources.put(logicalId, reason);
  }

  void failResource(String stackName, String logicalId, String reason) {
    failingResourcesByStack.computeIfAbsent(stackName, s -> new LinkedHashMap<>()).put(logicalId, reason);
  }

  void failNextDelete(String logicalId, String reason) {
    failingDeletes.put(logicalId, reason);
  }

  void failNextRollback() {
    failingRollbacks++;
  }

  void failNextDriftDetection(String reason) {
    failingDetections.add(reason);
  }

  /** Why the drift detection now starting fails, if one is armed; disarms it. */
  Optional<String> takeDriftDetectionFailure() {
    return Optional.ofNullable(failingDetections.poll());
  }

  /**
   * The armed failure of one of the resources a create or update of this stack touches, if any, those armed for
   * this stack first; disarms it.
   */
  Optional<ResourceFailure> takeResourceFailure(String stackName, Set<String> touched) {
    Map<String, String> forStack = failingResourcesByStack.getOrDefault(stackName, Map.of());
    Optional<ResourceFailure> failure = forStack.isEmpty() ? Optional.empty() : take(forStack, touched);
    if (forStack.isEmpty()) {
      failingResourcesByStack.remove(stackName);
    }
    return failure.isPresent() ? failure : take(failingResources, touched);
  }

  /** The armed failure of one of the resources a delete removes, if any; disarms it. */
  Optional<ResourceFailure> takeDeleteFailure(Set<String> existing) {
    return take(failingDeletes, existing);
  }

  /** Whether the rollback now starting fails; disarms one such failure. */
  boolean takeRollbackFailure() {
    if (failingRollbacks == 0) {
      return false;
    }
    failingRollbacks--;
    return true;
  }

  private static Optional<ResourceFailure> take(Map<String, String> armed, Set<String> candidates) {
    Optional<String> hit = armed.keySet().stream().filter(candidates::contains).findFirst();
    return hit.map(logicalId -> new ResourceFailure(logicalId, armed.remove(logicalId)));
  }
}
