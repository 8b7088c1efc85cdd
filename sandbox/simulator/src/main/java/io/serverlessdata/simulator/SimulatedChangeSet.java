package io.serverlessdata.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A change set of a simulated stack. Its changes are computed when it is created; it reports
 * {@code CREATE_PENDING} until its computing time has passed, then {@code CREATE_COMPLETE}, or {@code FAILED}
 * when it would change nothing.
 */
final class SimulatedChangeSet {

  static final String NO_CHANGES_REASON =
      "The submitted information didn't contain changes. Submit different information to create a change set.";

  private final String name;
  private final String id;
  private final String type;
  private final Deployment deployment;
  private final ChangeCalculator.Plan plan;
  private final Optional<String> clientToken;
  private final List<String> capabilities;
  private final Optional<String> deploymentMode;
  private final boolean importExistingResources;
  private final Instant creationTime;
  private final Instant computedAt;
  private String executionStatus;

  SimulatedChangeSet(String name, String id, String type, Deployment deployment, ChangeCalculator.Plan plan,
      Optional<String> clientToken, List<String> capabilities, Optional<String> deploymentMode,
      boolean importExistingResources, Instant creationTime, Instant computedAt) {
    this.name = name;
    this.id = id;
    this.type = type;
    this.deployment = deployment;
    this.plan = plan;
    this.clientToken = clientToken;
    this.capabilities = List.copyOf(capabilities);
    this.deploymentMode = deploymentMode;
    this.importExistingResources = importExistingResources;
    this.creationTime = creationTime;
    this.computedAt = computedAt;
  }

  String name() {
    return name;
  }

  String id() {
    return id;
  }

  /** {@code CREATE} or {@code UPDATE}. */
  String type() {
    return type;
  }

  Deployment deployment() {
    return deployment;
  }

  ChangeCalculator.Plan plan() {
    return plan;
  }

  Optional<String> clientToken() {
    return clientToken;
  }

  List<String> capabilities() {
    return capabilities;
  }

  Optional<String> deploymentMode() {
    return deploymentMode;
  }

  /** Planned with {@code ImportExistingResources=true}. */
  boolean importsExistingResources() {
    return importExistingResources;
  }

  /** Planned with {@code DeploymentMode=REVERT_DRIFT}: executing it puts drifted resources back. */
  boolean revertsDrift() {
    return deploymentMode.filter("REVERT_DRIFT"::equals).isPresent();
  }

  Instant creationTime() {
    return creationTime;
  }

  String status(Instant now) {
    if (now.isBefore(computedAt)) {
      return "CREATE_PENDING";
    }
    return plan.changesStack() ? "CREATE_COMPLETE" : "FAILED";
  }

  Optional<String> statusReason(Instant now) {
    return "FAILED".equals(status(now)) ? Optional.of(NO_CHANGES_REASON) : Optional.empty();
  }

  String executionStatus(Instant now) {
    if (executionStatus != null) {
      return executionStatus;
    }
    return "CREATE_COMPLETE".equals(status(now)) ? "AVAILABLE" : "UNAVAILABLE";
  }

  void executing() {
    executionStatus = "EXECUTE_IN_PROGRESS";
  }

  void executed(boolean succeeded) {
    executionStatus = succeeded ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED";
  }
}
