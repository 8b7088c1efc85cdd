package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ChangeApproval;
import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.template.RenderedStack;
import java.time.Duration;
import java.util.Optional;

/**
 * What the spec asks for, resolved and rendered for this pass: the first value of the pass, from which everything
 * else follows.
 *
 * @param spec the validated spec with its defaults
 * @param rendered template, parameters, tags and their hash
 * @param ownerUid the resource's uid, which the stack's owner tag carries
 * @param generation the spec's generation
 * @param steering what the annotations ask
 * @param driftInterval time between drift detections (the spec's, else the operator's default)
 * @param roleArn the service role CloudFormation acts with, if any
 * @param namespace the resource's namespace
 * @param name the resource's name
 */
record Target(ResolvedSpec spec, RenderedStack rendered, String ownerUid, long generation, Steering steering,
    Duration driftInterval, Optional<String> roleArn, String namespace, String name) {

  String stackName() {
    return spec.stackName();
  }

  String hash() {
    return rendered.hash();
  }

  /** The change set for this spec and generation: the same name whenever the same plan is made again. */
  String changeSetName() {
    return "sds-g" + generation + "-" + rendered.hash().substring(0, 16);
  }

  /** The drift-reverting change set for a detection's drift of the stack as this spec renders it. */
  String revertChangeSetName(String detectionId) {
    String detection = detectionId.replaceAll("[^a-zA-Z0-9]", "");
    return changeSetName() + "-revert-" + detection.substring(0, Math.min(8, detection.length()));
  }

  /** Whether every change set waits for a person's approval ({@code spec.changeApproval: Manual}). */
  boolean approvesManually() {
    return spec.changeApproval() == ChangeApproval.Manual;
  }

  boolean revertsDrift() {
    return spec.driftRemediation() == DriftRemediation.Revert && !steering.readOnly();
  }
}
