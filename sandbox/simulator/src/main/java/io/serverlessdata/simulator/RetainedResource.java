package io.serverlessdata.simulator;

import java.util.Map;

/**
 * A resource of the simulated account that belongs to no stack: kept by a DeletionPolicy or UpdateReplacePolicy
 * when its stack let go of it, or made outside CloudFormation by a test.
 *
 * @param type the CloudFormation resource type ({@code AWS::DynamoDB::Table})
 * @param physicalId its physical id (a table's or bucket's name)
 * @param tags the tags it carries (for a retained resource, the ones its stack gave it)
 */
public record RetainedResource(String type, String physicalId, Map<String, String> tags) {

  public RetainedResource {
    tags = Map.copyOf(tags);
  }
}
