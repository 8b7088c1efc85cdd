package io.serverlessdata.simulator;

import java.util.Map;
import java.util.Optional;

/**
 * What a stack runs, or what a change set would make it run.
 *
 * @param template the checked template
 * @param parameters every parameter's effective value
 * @param tags the stack's tags
 * @param roleArn the service role CloudFormation acts with, if any
 */
record Deployment(SimulatedTemplate template, Map<String, String> parameters, Map<String, String> tags,
    Optional<String> roleArn) {

  Deployment {
    parameters = Map.copyOf(parameters);
    tags = Map.copyOf(tags);
  }
}
