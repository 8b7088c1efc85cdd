package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What CloudFormation keeps about a stack's last drift detection, in its summary and its description
 * ({@code DriftInformation}): the result of the last detection that completed and when it did.
 *
 * @param status {@code NOT_CHECKED}, {@code IN_SYNC}, {@code DRIFTED} or {@code UNKNOWN}
 * @param lastChecked when the last detection completed; empty before the first
 */
public record DriftInformation(String status, Optional<Instant> lastChecked) {

  public static final DriftInformation NOT_CHECKED = new DriftInformation("NOT_CHECKED", Optional.empty());

  public DriftInformation {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastChecked, "lastChecked");
  }

  /** Whether a detection completed at or after this time. */
  public boolean checkedSince(Instant time) {
    return lastChecked.filter(checked -> !checked.isBefore(time)).isPresent();
  }
}
