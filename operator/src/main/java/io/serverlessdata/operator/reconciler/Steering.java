package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * What the resource's annotations ask of this pass ({@link Annotations} has the keys and their meanings), read once.
 *
 * @param readOnly observe and report only, change nothing
 * @param adopt take over an existing stack of the name that is not the resource's
 * @param allowReplacement the user accepts replacing or removing the table or bucket
 * @param checkDrift a request for a drift detection now: each new value asks once
 * @param adoptData a new stack may import a retained table or bucket that is not tagged as this resource's
 * @param approval the change set a person approved (under {@code spec.changeApproval: Manual})
 */
record Steering(boolean readOnly, boolean adopt, boolean allowReplacement, Optional<String> checkDrift,
    boolean adoptData, Optional<String> approval) {

  /** Nothing asked: the operator's defaults. */
  static final Steering NONE = new Steering(false, false, false, Optional.empty(), false, Optional.empty());

  static Steering of(HasMetadata resource) {
    return new Steering(Annotations.readOnly(resource), Annotations.adopt(resource),
        Annotations.allowReplacement(resource), Annotations.checkDrift(resource), Annotations.adoptData(resource),
        Annotations.approval(resource));
  }
}
