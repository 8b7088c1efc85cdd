package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A CloudFormation stack as DescribeStacks reports it: its summary and what only a description has (outputs,
 * tags, termination protection).
 *
 * @param name the stack's name
 * @param id the stack's id, an ARN that stays unique after the stack is deleted
 * @param status as CloudFormation reports it, e.g. {@code CREATE_COMPLETE}
 * @param statusReason why the stack is in that status, when CloudFormation says
 * @param outputs output key to value, sorted
 * @param tags stack tags, sorted
 * @param parameters the stack's parameter values, sorted (a {@code NoEcho} parameter shows as asterisks)
 * @param terminationProtection whether DeleteStack is refused
 * @param creationTime when the stack was created
 * @param lastUpdatedTime when it was last updated, if ever
 * @param drift the last completed drift detection
 */
public record Stack(
    String name,
    String id,
    StackStatus status,
    Optional<String> statusReason,
    Map<String, String> outputs,
    Map<String, String> tags,
    Map<String, String> parameters,
    boolean terminationProtection,
    Instant creationTime,
    Optional<Instant> lastUpdatedTime,
    DriftInformation drift) {

  public Stack {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(lastUpdatedTime, "lastUpdatedTime");
    Objects.requireNonNull(drift, "drift");
    outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
  }

  /** The summary of this description, as ListStacks would list the stack now. */
  public StackSummary summary() {
    return new StackSummary(name, id, status, statusReason, creationTime, lastUpdatedTime, Optional.empty(), drift);
  }
}
