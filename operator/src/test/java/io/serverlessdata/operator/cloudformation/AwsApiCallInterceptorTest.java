package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

class AwsApiCallInterceptorTest {

  @Test
  void throttlingIsToldApartFromRefusalsAndServerFailures() {
    assertThat(AwsApiCallInterceptor.outcome(aws(400, "Throttling"))).isEqualTo(ApiCallOutcome.THROTTLED);
    assertThat(AwsApiCallInterceptor.outcome(aws(400, "ValidationError"))).isEqualTo(ApiCallOutcome.CLIENT_ERROR);
    assertThat(AwsApiCallInterceptor.outcome(aws(403, "AccessDenied"))).isEqualTo(ApiCallOutcome.CLIENT_ERROR);
    assertThat(AwsApiCallInterceptor.outcome(aws(503, "ServiceUnavailable"))).isEqualTo(ApiCallOutcome.SERVER_ERROR);
  }

  @Test
  void aCallWithoutAnAnswerIsANetworkError() {
    assertThat(AwsApiCallInterceptor.outcome(SdkClientException.create("timed out",
        new UncheckedIOException(new SocketTimeoutException("read timed out"))))).isEqualTo(ApiCallOutcome.NETWORK_ERROR);
  }

  @Test
  void outcomesAreLowerCaseLabels() {
    assertThat(ApiCallOutcome.CLIENT_ERROR.label()).isEqualTo("client_error");
  }

  private static CloudFormationException aws(int status, String code) {
    return (CloudFormationException) CloudFormationException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
        .build();
  }
}
