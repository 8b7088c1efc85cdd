package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

class AwsErrorsTest {

  @ParameterizedTest(name = "{0} ({1}) is {3}")
  @CsvSource(delimiter = '|', value = {
      "Throttling                        | 400 | Rate exceeded                                     | Transient",
      "ThrottlingException               | 400 | Rate exceeded                                     | Transient",
      "RequestLimitExceeded              | 400 | Request limit exceeded.                           | Transient",
      "InternalFailure                   | 500 | unknown error                                     | Transient",
      "ServiceUnavailable                | 503 | Service is unavailable                            | Transient",
      "SomethingNew                      | 502 | Bad gateway                                       | Transient",
      "LimitExceededException            | 400 | Limit on the number of stacks exceeded            | Transient",
      "AccessDenied                      | 403 | User is not authorized to perform: cfn:CreateChangeSet | Rejected",
      "AccessDeniedException             | 400 | not authorized                                    | Rejected",
      "InsufficientCapabilitiesException | 400 | Requires capabilities : [CAPABILITY_IAM]          | Rejected",
      "ValidationError                   | 400 | Parameters: [AlertEmail] must have values         | Rejected",
      "InvalidChangeSetStatus            | 400 | ChangeSet cannot be executed in its current status | Rejected",
      "ValidationError                   | 400 | Stack with id team-a-orders does not exist        | StackNotFound",
      "ValidationError                   | 400 | Stack [team-a-orders] does not exist              | StackNotFound",
      "ChangeSetNotFound                 | 404 | ChangeSet [create-1] does not exist               | ChangeSetNotFound",
  })
  void awsErrorsAreMappedByCodeAndStatus(String code, int status, String message, String expected) {
    CloudFormationException error = (CloudFormationException) CloudFormationException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .statusCode(status)
        .build();

    StackOperationException translated = AwsErrors.translate("DescribeStacks", error);

    Class<?> type = switch (expected) {
      case "Transient" -> TransientStackOperationException.class;
      case "Rejected" -> RejectedStackOperationException.class;
      case "StackNotFound" -> StackNotFoundException.class;
      default -> ChangeSetNotFoundException.class;
    };
    assertThat(translated).isExactlyInstanceOf(type);
    assertThat(translated.errorCode()).isEqualTo(code);
    assertThat(translated.getMessage()).isEqualTo(message);
    assertThat(translated.getCause()).isSameAs(error);
    assertThat(translated.describe()).isEqualTo("DescribeStacks: " + message);
  }

  @Test
  void noAnswerFromAwsIsTransient() {
    assertThat(AwsErrors.translate("DescribeStacks", SdkClientException.create("Unable to execute HTTP request", new IOException("reset"))))
        .isInstanceOf(TransientStackOperationException.class)
        .extracting(StackOperationException::errorCode).isEqualTo(AwsErrors.CLIENT_ERROR);
    assertThat(AwsErrors.translate("DescribeStacks", ApiCallTimeoutException.create(60_000)))
        .isInstanceOf(TransientStackOperationException.class);
  }
}
