package io.serverlessdata.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator observed, in ACK's shape. Written by the operator only.
 *
 * <p>Fields this model does not know (written by a newer operator before a downgrade) are ignored rather than
 * refused: a refusal would fail the informer and stop the operator; the next status write replaces them.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServerlessDataStackStatus {

  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The stack's ARN, owning account and region.")
  private AckResourceMetadata ackResourceMetadata;

  @JsonPropertyDescription("Name of the CloudFormation stack.")
  private String stackName;

  @JsonPropertyDescription("Id (ARN) of the CloudFormation stack.")
  private String stackId;

  @JsonPropertyDescription("Status of the stack as CloudFormation reports it, e.g. CREATE_COMPLETE.")
  private String stackStatus;

  @JsonPropertyDescription("CloudFormation's reason for the stack status.")
  private String stackStatusReason;

  @JsonPropertyDescription("When CloudFormation last changed the stack: its LastUpdatedTime, or its CreationTime before"
      + " any update (RFC 3339). The status describes the stack as of this time.")
  private String stackLastUpdatedTime;

  @JsonPropertyDescription("Hash of template, parameters and tags the stack was last driven to.")
  private String specHash;

  @JsonPropertyDescription("The last change set the operator planned.")
  private ChangeSetStatus lastChangeSet;

  @JsonPropertyDescription("Stack outputs: ApiEndpoint, ApiKeyId, CloudFrontUrl, S3BucketName, DynamoTableName,"
      + " FunctionName, ErrorTopicArn.")
  private Map<String, String> outputs = new TreeMap<>();

  @JsonPropertyDescription("Result of the last drift detection.")
  private DriftStatus drift;

  @JsonPropertyDescription("ConfigMap and Secret the operator exported the outputs to and owns (spec.exportTo).")
  private ExportedObjects exports;

  @JsonPropertyDescription("The failed events of the stack's last failed operation, newest first.")
  private List<StackFailure> failures = new ArrayList<>();

  @JsonPropertyDescription("The change set waiting for approval (spec.changeApproval: Manual): what it would do."
      + " Approve it with the annotation serverlessdata.io/approve=<name>.")
  private ChangeSetStatus pendingChangeSet;

  @JsonPropertyDescription("The last change set approved with serverlessdata.io/approve and executed.")
  private String lastApproval;

  @JsonPropertyDescription("Tables and buckets that a stack of this resource imported, retained by an earlier one.")
  private List<ImportedResource> importedResources = new ArrayList<>();

  @JsonPropertyDescription("A write CloudFormation refused (HTTP 400: sending it again gets the same answer); it is"
      + " not sent again until the spec or the stack changes, or 30 minutes have passed.")
  private Rejection rejection;

  @JsonPropertyDescription("Ready, ACK.ResourceSynced, ACK.Terminal, ACK.Recoverable, ACK.Advisory, ACK.Adopted, Drifted.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public AckResourceMetadata getAckResourceMetadata() {
    return ackResourceMetadata;
  }

  public void setAckResourceMetadata(AckResourceMetadata ackResourceMetadata) {
    this.ackResourceMetadata = ackResourceMetadata;
  }

  public String getStackName() {
    return stackName;
  }

  public void setStackName(String stackName) {
    this.stackName = stackName;
  }

  public String getStackId() {
    return stackId;
  }

  public void setStackId(String stackId) {
    this.stackId = stackId;
  }

  public String getStackStatus() {
    return stackStatus;
  }

  public void setStackStatus(String stackStatus) {
    this.stackStatus = stackStatus;
  }

  public String getStackStatusReason() {
    return stackStatusReason;
  }

  public void setStackStatusReason(String stackStatusReason) {
    this.stackStatusReason = stackStatusReason;
  }

  public String getStackLastUpdatedTime() {
    return stackLastUpdatedTime;
  }

  public void setStackLastUpdatedTime(String stackLastUpdatedTime) {
    this.stackLastUpdatedTime = stackLastUpdatedTime;
  }

  public ChangeSetStatus getPendingChangeSet() {
    return pendingChangeSet;
  }

  public void setPendingChangeSet(ChangeSetStatus pendingChangeSet) {
    this.pendingChangeSet = pendingChangeSet;
  }

  public String getLastApproval() {
    return lastApproval;
  }

  public void setLastApproval(String lastApproval) {
    this.lastApproval = lastApproval;
  }

  public List<ImportedResource> getImportedResources() {
    return importedResources;
  }

  public void setImportedResources(List<ImportedResource> importedResources) {
    this.importedResources = importedResources == null ? new ArrayList<>() : new ArrayList<>(importedResources);
  }

  public Rejection getRejection() {
    return rejection;
  }

  public void setRejection(Rejection rejection) {
    this.rejection = rejection;
  }

  public String getSpecHash() {
    return specHash;
  }

  public void setSpecHash(String specHash) {
    this.specHash = specHash;
  }

  public ChangeSetStatus getLastChangeSet() {
    return lastChangeSet;
  }

  public void setLastChangeSet(ChangeSetStatus lastChangeSet) {
    this.lastChangeSet = lastChangeSet;
  }

  public Map<String, String> getOutputs() {
    return outputs;
  }

  public void setOutputs(Map<String, String> outputs) {
    this.outputs = outputs == null ? new TreeMap<>() : new TreeMap<>(outputs);
  }

  public DriftStatus getDrift() {
    return drift;
  }

  public void setDrift(DriftStatus drift) {
    this.drift = drift;
  }

  public ExportedObjects getExports() {
    return exports;
  }

  public void setExports(ExportedObjects exports) {
    this.exports = exports;
  }

  public List<StackFailure> getFailures() {
    return failures;
  }

  public void setFailures(List<StackFailure> failures) {
    this.failures = failures == null ? new ArrayList<>() : new ArrayList<>(failures);
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }

  /**
   * The objects in the resource's namespace that hold its exported outputs and that the operator owns: what it
   * updates, and deletes when {@code spec.exportTo} names others or none.
   *
   * @param configMapName the ConfigMap with every output, if exported
   * @param secretName the Secret with the endpoint and API key, if exported
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ExportedObjects(
      @JsonPropertyDescription("ConfigMap holding every output.") String configMapName,
      @JsonPropertyDescription("Secret holding the endpoint and the API key's value.") String secretName) {}

  /**
   * ACK's resource metadata.
   *
   * @param arn the stack id
   * @param ownerAccountID the AWS account that owns the stack
   * @param region always us-east-1
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AckResourceMetadata(
      @JsonPropertyDescription("ARN of the CloudFormation stack.") String arn,
      @JsonPropertyDescription("AWS account that owns the stack.") String ownerAccountID,
      @JsonPropertyDescription("AWS region of the stack.") String region) {}

  /**
   * A change set and what it plans.
   *
   * @param name change-set name
   * @param id its id (ARN), unique to the change set
   * @param type CREATE or UPDATE
   * @param generation the spec generation it was planned for
   * @param status CloudFormation's status of the change set
   * @param statusReason CloudFormation's reason, e.g. why it failed
   * @param executionStatus whether it was executed, as CloudFormation says or the stack's operation showed
   * @param changes planned resource changes
   * @param createdTime when it was created (RFC 3339)
   * @param parameterChanges the stack parameters it gives new values
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ChangeSetStatus(
      @JsonPropertyDescription("Name of the change set.") String name,
      @JsonPropertyDescription("Id (ARN) of the change set.") String id,
      @JsonPropertyDescription("CREATE or UPDATE.") String type,
      @JsonPropertyDescription("Spec generation the change set was planned for.") Long generation,
      @JsonPropertyDescription("Status of the change set, e.g. CREATE_COMPLETE.") String status,
      @JsonPropertyDescription("CloudFormation's reason for the status, e.g. why the change set failed.")
      String statusReason,
      @JsonPropertyDescription("Execution status, e.g. EXECUTE_COMPLETE.") String executionStatus,
      @JsonPropertyDescription("The planned resource changes (at most 50).") List<PlannedChange> changes,
      @JsonPropertyDescription("When it was created (RFC 3339).") String createdTime,
      @JsonPropertyDescription("The stack parameters it gives new values, before and after.")
      List<ParameterChange> parameterChanges) {

    public ChangeSetStatus {
      changes = changes == null ? List.of() : List.copyOf(changes);
      parameterChanges = parameterChanges == null ? List.of() : List.copyOf(parameterChanges);
    }

    public ChangeSetStatus(String name, String id, String type, Long generation, String status, String statusReason,
        String executionStatus, List<PlannedChange> changes) {
      this(name, id, type, generation, status, statusReason, executionStatus, changes, null, List.of());
    }

    public ChangeSetStatus withState(String newStatus, String reason, String newExecutionStatus) {
      return new ChangeSetStatus(name, id, type, generation, newStatus, reason, newExecutionStatus, changes,
          createdTime, parameterChanges);
    }

    public ChangeSetStatus withExecutionStatus(String newExecutionStatus) {
      return new ChangeSetStatus(name, id, type, generation, status, statusReason, newExecutionStatus, changes,
          createdTime, parameterChanges);
    }

    public ChangeSetStatus withChanges(List<PlannedChange> planned) {
      return new ChangeSetStatus(name, id, type, generation, status, statusReason, executionStatus, planned,
          createdTime, parameterChanges);
    }

    public ChangeSetStatus withCreatedTime(String created) {
      return new ChangeSetStatus(name, id, type, generation, status, statusReason, executionStatus, changes, created,
          parameterChanges);
    }

    public ChangeSetStatus withParameterChanges(List<ParameterChange> parameters) {
      return new ChangeSetStatus(name, id, type, generation, status, statusReason, executionStatus, changes,
          createdTime, parameters);
    }
  }

  /**
   * A write CloudFormation refused.
   *
   * @param operation the AWS operation, e.g. CreateChangeSet
   * @param reason AWS's error code
   * @param message AWS's message
   * @param time when it was refused (RFC 3339)
   * @param generation the spec generation it was sent for
   * @param stackLastUpdatedTime the stack's last change when it was sent (none: no stack)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rejection(
      @JsonPropertyDescription("The AWS operation, e.g. CreateChangeSet.") String operation,
      @JsonPropertyDescription("AWS's error code, e.g. ValidationError.") String reason,
      @JsonPropertyDescription("AWS's message.") String message,
      @JsonPropertyDescription("When it was refused (RFC 3339).") String time,
      @JsonPropertyDescription("Spec generation it was sent for.") Long generation,
      @JsonPropertyDescription("The stack's last change when it was sent.") String stackLastUpdatedTime) {}

  /**
   * One planned resource change.
   *
   * @param action Add, Modify, Remove, Import, Dynamic
   * @param logicalId the resource's logical id
   * @param resourceType its type
   * @param replacement True, False or Conditional
   * @param physicalId the existing resource an Import takes into the stack
   * @param properties the properties a Modify changes, by name
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PlannedChange(
      @JsonPropertyDescription("Add, Modify, Remove, Import or Dynamic.") String action,
      @JsonPropertyDescription("Logical id of the resource.") String logicalId,
      @JsonPropertyDescription("Resource type.") String resourceType,
      @JsonPropertyDescription("True, False or Conditional.") String replacement,
      @JsonPropertyDescription("The existing resource an Import takes into the stack.") String physicalId,
      @JsonPropertyDescription("The properties a Modify changes.") List<String> properties) {

    public PlannedChange {
      properties = properties == null ? List.of() : List.copyOf(properties);
    }

    /** A change that names no existing resource and no properties. */
    public PlannedChange(String action, String logicalId, String resourceType, String replacement) {
      this(action, logicalId, resourceType, replacement, null, List.of());
    }
  }

  /**
   * A stack parameter a change set gives a new value.
   *
   * @param name the parameter
   * @param before its value in the stack now (none: a new stack)
   * @param after its value in the change set
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParameterChange(
      @JsonPropertyDescription("The stack parameter.") String name,
      @JsonPropertyDescription("Its value in the stack now.") String before,
      @JsonPropertyDescription("Its value in the change set.") String after) {}

  /**
   * A table or bucket that a stack of this resource's took over from an earlier one, which had retained it.
   *
   * @param logicalId its logical id in the template
   * @param resourceType its type
   * @param physicalId its name
   * @param changeSet the change set that imported it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ImportedResource(
      @JsonPropertyDescription("Logical id of the resource.") String logicalId,
      @JsonPropertyDescription("Resource type.") String resourceType,
      @JsonPropertyDescription("Its name.") String physicalId,
      @JsonPropertyDescription("The change set that imported it.") String changeSet) {}

  /**
   * Drift of the stack.
   *
   * @param status IN_SYNC, DRIFTED, UNKNOWN or NOT_CHECKED
   * @param lastCheckTime when the last detection finished or failed (RFC 3339)
   * @param detectionId the detection in progress or last finished
   * @param detectionStatus DETECTION_IN_PROGRESS, DETECTION_COMPLETE or DETECTION_FAILED
   * @param detectionStartTime when the detection in progress or last finished was started (RFC 3339)
   * @param message what the operator concluded or did, e.g. why a detection failed
   * @param driftedResourceCount how many resources drifted (the list below is bounded)
   * @param driftedResources resources that differ from the template, at most {@code MAX_DRIFTED_RESOURCES}
   * @param checkRequest the last value of the {@code serverlessdata.io/check-drift} annotation acted on
   * @param failedAttempts drift calls that failed in a row (throttling, server errors); the next attempt backs off
   * @param requested whether the detection in progress was asked for with the check-drift annotation: it is followed
   *     every few seconds rather than only through the account's listing
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DriftStatus(
      @JsonPropertyDescription("IN_SYNC, DRIFTED, UNKNOWN or NOT_CHECKED.") String status,
      @JsonPropertyDescription("When CloudFormation completed the last detection (RFC 3339).") String lastCheckTime,
      @JsonPropertyDescription("Id of the detection in progress or last finished.") String detectionId,
      @JsonPropertyDescription("DETECTION_IN_PROGRESS, DETECTION_COMPLETE or DETECTION_FAILED.") String detectionStatus,
      @JsonPropertyDescription("When the operator started the detection in progress or last finished, or last tried"
          + " to (RFC 3339); the next detection is due an interval later.")
      String detectionStartTime,
      @JsonPropertyDescription("What the operator concluded or did, e.g. why a detection failed.") String message,
      @JsonPropertyDescription("How many resources drifted; driftedResources lists at most 20.") Integer driftedResourceCount,
      @JsonPropertyDescription("Resources that differ from the template (at most 20, 10 differences each).")
      List<DriftedResource> driftedResources,
      @JsonPropertyDescription("The last value of the serverlessdata.io/check-drift annotation acted on.")
      String checkRequest,
      @JsonPropertyDescription("Drift calls that failed in a row; the next attempt backs off.") Integer failedAttempts,
      @JsonPropertyDescription("Whether the detection in progress was asked for with the check-drift annotation.")
      Boolean requested) {

    public DriftStatus {
      driftedResources = driftedResources == null ? List.of() : List.copyOf(driftedResources);
    }

    /** Before the first detection. */
    public static DriftStatus notChecked() {
      return new DriftStatus("NOT_CHECKED", null, null, null, null, null, null, List.of(), null, null, null);
    }

    /**
     * A detection just started (the previous result stands until it completes).
     *
     * @param checkedBefore the stack's last completed check as CloudFormation reports it now, if any: the detection
     *     has completed once the stack reports a later one
     */
    public DriftStatus started(String id, String startTime, String request, String checkedBefore, boolean asked) {
      return new DriftStatus(status, checkedBefore != null ? checkedBefore : lastCheckTime, id,
          "DETECTION_IN_PROGRESS", startTime, message, driftedResourceCount, driftedResources, request, null,
          asked ? Boolean.TRUE : null);
    }

    /** The detection completed with this result. */
    public DriftStatus completed(String result, String checkTime, String conclusion, int count,
        List<DriftedResource> resources) {
      return new DriftStatus(result, checkTime, detectionId, "DETECTION_COMPLETE", detectionStartTime, conclusion,
          count, resources, checkRequest, null, null);
    }

    /** The detection failed: the result is unknown until the next one. */
    public DriftStatus failed(String conclusion) {
      return new DriftStatus("UNKNOWN", lastCheckTime, detectionId, "DETECTION_FAILED", detectionStartTime,
          conclusion, null, List.of(), checkRequest, null, null);
    }

    /**
     * A drift call failed (the detection could not be started or followed): the result is unknown, and the next
     * attempt, {@code attempts} failures in, backs off from {@code attemptTime}.
     */
    public DriftStatus callFailed(String attemptTime, String conclusion, int attempts, String request) {
      return new DriftStatus("UNKNOWN", lastCheckTime, detectionId, "DETECTION_FAILED", attemptTime, conclusion,
          null, List.of(), request, attempts, null);
    }

    /** The last detection's drift is being reverted: a new detection, due at once, follows. */
    public DriftStatus reverting(String conclusion) {
      return new DriftStatus(status, lastCheckTime, null, null, null, conclusion, driftedResourceCount,
          driftedResources, checkRequest, null, null);
    }

    /** The same drift with another conclusion (e.g. that a revert could not put it back). */
    public DriftStatus withMessage(String conclusion) {
      return new DriftStatus(status, lastCheckTime, detectionId, detectionStatus, detectionStartTime, conclusion,
          driftedResourceCount, driftedResources, checkRequest, failedAttempts, requested);
    }
  }

  /**
   * A resource that drifted.
   *
   * @param logicalId logical id
   * @param resourceType type
   * @param driftStatus MODIFIED or DELETED
   * @param differences property differences
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DriftedResource(
      @JsonPropertyDescription("Logical id of the resource.") String logicalId,
      @JsonPropertyDescription("Resource type.") String resourceType,
      @JsonPropertyDescription("MODIFIED or DELETED.") String driftStatus,
      @JsonPropertyDescription("Property differences.") List<PropertyDifference> differences) {}

  /**
   * One property difference.
   *
   * @param path JSON path of the property
   * @param expected value in the template
   * @param actual value in AWS
   * @param differenceType ADD, REMOVE or NOT_EQUAL
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PropertyDifference(
      @JsonPropertyDescription("Path of the property.") String path,
      @JsonPropertyDescription("Value in the template.") String expected,
      @JsonPropertyDescription("Value in AWS.") String actual,
      @JsonPropertyDescription("ADD, REMOVE or NOT_EQUAL.") String differenceType) {}

  /**
   * A failed stack event.
   *
   * @param time when it happened (RFC 3339)
   * @param logicalId the resource that failed
   * @param resourceStatus e.g. CREATE_FAILED
   * @param reason CloudFormation's reason
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StackFailure(
      @JsonPropertyDescription("When it happened (RFC 3339).") String time,
      @JsonPropertyDescription("The resource that failed.") String logicalId,
      @JsonPropertyDescription("Its status, e.g. CREATE_FAILED.") String resourceStatus,
      @JsonPropertyDescription("CloudFormation's reason.") String reason) {}
}
