package io.serverlessdata.operator.cloudformation;

import java.util.List;
import java.util.Objects;

/**
 * One resource's drift, as DescribeStackResourceDrifts reports it after a detection.
 *
 * @param logicalId the resource's logical id
 * @param resourceType its type
 * @param driftStatus {@code MODIFIED} or {@code DELETED} (the operator asks for no other)
 * @param differences how its properties differ from the template's; none for a deleted resource
 */
public record ResourceDrift(String logicalId, String resourceType, String driftStatus, List<Difference> differences) {

  public ResourceDrift {
    Objects.requireNonNull(logicalId, "logicalId");
    Objects.requireNonNull(driftStatus, "driftStatus");
    differences = List.copyOf(differences);
  }

  /**
   * One property difference.
   *
   * @param path the property's path, e.g. {@code /ProvisionedThroughput/ReadCapacityUnits}
   * @param expected its value in the template (JSON text)
   * @param actual its value in AWS (JSON text)
   * @param type {@code ADD}, {@code REMOVE} or {@code NOT_EQUAL}
   */
  public record Difference(String path, String expected, String actual, String type) {}
}
