package io.serverlessdata.operator.cloudformation;

import io.serverlessdata.operator.template.RenderedStack;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a change set is planned from.
 *
 * @param stackName the stack's name
 * @param changeSetName a name that is the same whenever the same plan is made again (e.g. from the
 *     resource's generation and the spec's hash), so that a repeated call finds the change set it made
 * @param type create a new stack or update an existing one
 * @param incarnation the id of the stack the plan updates, or, for a create, of the stack it follows (one that was
 *     deleted); empty for the first create of the name. Part of the request token, so that the same change-set name
 *     planned again for a new incarnation is a new request, not a retry of the old one
 * @param templateBody the template, inline
 * @param parameters parameter name to value
 * @param tags stack tags
 * @param roleArn the service role CloudFormation acts with, if any
 * @param revertDrift plan with {@code DeploymentMode=REVERT_DRIFT}, so resources that drifted are put back
 * @param importExistingResources plan with {@code ImportExistingResources}: a retained resource of the template's
 *     static name is imported into the stack instead of colliding with it (planned as {@code Action: Import})
 */
public record PlanRequest(
    String stackName,
    String changeSetName,
    Type type,
    Optional<String> incarnation,
    String templateBody,
    Map<String, String> parameters,
    Map<String, String> tags,
    Optional<String> roleArn,
    boolean revertDrift,
    boolean importExistingResources) {

  public PlanRequest {
    Objects.requireNonNull(stackName, "stackName");
    Objects.requireNonNull(changeSetName, "changeSetName");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(templateBody, "templateBody");
    Objects.requireNonNull(roleArn, "roleArn");
    parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /** A plan for a rendered stack, without a service role and without drift remediation. */
  public static PlanRequest of(String stackName, String changeSetName, Type type, Optional<String> incarnation,
      RenderedStack rendered) {
    return new PlanRequest(stackName, changeSetName, type, incarnation, rendered.templateBody(), rendered.parameters(),
        rendered.tags(), Optional.empty(), false, false);
  }

  public PlanRequest withRoleArn(Optional<String> role) {
    return new PlanRequest(stackName, changeSetName, type, incarnation, templateBody, parameters, tags, role,
        revertDrift, importExistingResources);
  }

  public PlanRequest withRevertDrift(boolean revert) {
    return new PlanRequest(stackName, changeSetName, type, incarnation, templateBody, parameters, tags, roleArn,
        revert, importExistingResources);
  }

  public PlanRequest withImportExistingResources(boolean importing) {
    return new PlanRequest(stackName, changeSetName, type, incarnation, templateBody, parameters, tags, roleArn,
        revertDrift, importing);
  }

  /** The change set's type. */
  public enum Type {
    /** The stack does not exist yet (or only holds change sets). */
    CREATE,
    /** The stack exists and is stable. */
    UPDATE
  }
}
