package io.serverlessdata.operator.api;

import io.serverlessdata.operator.template.StackSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * A valid spec with every default filled in: what the operator acts on.
 *
 * @param stackName the CloudFormation stack's name
 * @param settings what the template and its parameters are made from
 * @param driftInterval time between drift checks
 * @param driftRemediation what to do about drift
 * @param roleArn CloudFormation service role, if any
 * @param terminationProtection whether the stack is protected from deletion
 * @param configMapName ConfigMap to export outputs to, if any
 * @param secretName Secret to export the endpoint and API key to, if any
 * @param changeApproval whether planned change sets run at once or wait for an approval
 */
public record ResolvedSpec(
    String stackName,
    StackSettings settings,
    Duration driftInterval,
    DriftRemediation driftRemediation,
    Optional<String> roleArn,
    boolean terminationProtection,
    Optional<String> configMapName,
    Optional<String> secretName,
    ChangeApproval changeApproval) {}
