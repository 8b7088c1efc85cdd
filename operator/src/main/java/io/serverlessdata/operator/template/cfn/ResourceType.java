package io.serverlessdata.operator.template.cfn;

import java.util.Set;

/**
 * A CloudFormation resource type as the templates use it.
 *
 * @param name e.g. {@code AWS::DynamoDB::Table}
 * @param taggable whether it takes a {@code Tags} list of {@code {Key, Value}}
 * @param attributes what {@code Fn::GetAtt} may read from it
 */
public record ResourceType(String name, boolean taggable, Set<String> attributes) {

  public ResourceType {
    attributes = Set.copyOf(attributes);
  }

  public static ResourceType taggable(String name, String... attributes) {
    return new ResourceType(name, true, Set.of(attributes));
  }

  public static ResourceType untagged(String name, String... attributes) {
    return new ResourceType(name, false, Set.of(attributes));
  }
}
