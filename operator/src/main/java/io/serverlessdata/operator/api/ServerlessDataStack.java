package io.serverlessdata.operator.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A serverless data-processing stack on AWS (API Gateway, Lambda, DynamoDB, S3 with Object Lock behind
 * CloudFront, SNS alerts), driven through one CloudFormation stack in us-east-1.
 *
 * <p>The printer columns are listed in the order {@code kubectl get} shows them (AGE last, by kubectl's
 * convention); the build keeps that order in the CRD, and the class description becomes the kind's
 * description (the CRD section of the README).
 */
@JsonClassDescription(ServerlessDataStack.DESCRIPTION)
@Group(ServerlessDataStack.GROUP)
@Version(ServerlessDataStack.VERSION)
@Kind("ServerlessDataStack")
@Singular("serverlessdatastack")
@Plural("serverlessdatastacks")
@ShortNames("sds")
@AdditionalPrinterColumn(name = "STACK-STATUS", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.stackStatus")
@AdditionalPrinterColumn(name = "SYNCED", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"ACK.ResourceSynced\")].status")
@AdditionalPrinterColumn(name = "DRIFT", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.drift.status")
@AdditionalPrinterColumn(name = "ENDPOINT", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.outputs.ApiEndpoint", priority = 1)
@AdditionalPrinterColumn(name = "ARN", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.ackResourceMetadata.arn", priority = 1)
@AdditionalPrinterColumn(name = "AWAITING-APPROVAL", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.pendingChangeSet.name", priority = 1)
@AdditionalPrinterColumn(name = "AGE", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class ServerlessDataStack extends CustomResource<ServerlessDataStackSpec, ServerlessDataStackStatus>
    implements Namespaced {

  public static final String GROUP = "serverlessdata.io";
  public static final String VERSION = "v1alpha1";
  static final String DESCRIPTION = "A serverless data-processing stack on AWS (API Gateway, Lambda, DynamoDB, S3 with"
      + " Object Lock behind CloudFront, SNS alerts), driven through one CloudFormation stack in us-east-1.";

  /** Top-level fields the model does not know, as they came; {@link SpecResolver} reports them. */
  private final Map<String, Object> unknownFields = new TreeMap<>();

  @Override
  @Required
  @JsonPropertyDescription("What the user asks for: the stack's settings. Only resourcePrefix and alertEmail are"
      + " required; the operator fills in every other default.")
  public ServerlessDataStackSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed, in the shape of the AWS Controllers for Kubernetes: the"
      + " stack, its outputs, drift and conditions. Written by the operator only.")
  public ServerlessDataStackStatus getStatus() {
    return super.getStatus();
  }

  /** Top-level fields the model does not know (besides apiVersion, kind, metadata, spec and status). */
  @JsonIgnore // not a property, nor in the CRD's schema: the CRD generator skips what Jackson ignores
  @JsonAnyGetter
  public Map<String, Object> unknownFields() {
    return Collections.unmodifiableMap(unknownFields);
  }

  @JsonAnySetter
  void unknownField(String name, Object value) {
    unknownFields.put(name, value);
  }
}
