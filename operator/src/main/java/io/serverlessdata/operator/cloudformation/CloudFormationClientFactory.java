package io.serverlessdata.operator.cloudformation;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import java.util.List;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** Builds the AWS SDK's clients (CloudFormation, API Gateway) for us-east-1 from {@link ClientSettings}. */
public final class CloudFormationClientFactory {

  /** The operator drives stacks in this region only. */
  public static final Region REGION = Region.US_EAST_1;

  private CloudFormationClientFactory() {}

  public static CloudFormationClient create(ClientSettings settings) {
    return create(settings, List.of());
  }

  /** A client whose calls also pass through the given interceptors (metrics, the call budget). */
  public static CloudFormationClient create(ClientSettings settings, List<ExecutionInterceptor> interceptors) {
    return configure(CloudFormationClient.builder(), settings, interceptors).build();
  }

  /**
   * Region, credentials, HTTP client, timeouts, retries, interceptors and endpoint override from the settings, for
   * any of the SDK's synchronous clients (CloudFormation, API Gateway), so that they all behave alike.
   */
  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
      B builder, ClientSettings settings, List<ExecutionInterceptor> interceptors) {
    builder
        .region(REGION)
        .credentialsProvider(settings.credentials())
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.connectTimeout())
            .socketTimeout(settings.attemptTimeout())
            .build())
        .overrideConfiguration(o -> o
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff()))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(settings.throttlingBaseDelay(), settings.maxBackoff()))
                .build())
            .executionInterceptors(interceptors)
            // every attempt, retries included, waits for a token of the operator's budget (after setting the list)
            .addExecutionInterceptor(new AwsCallBudgetInterceptor(settings.budget()))
            .apiCallAttemptTimeout(settings.attemptTimeout())
            .apiCallTimeout(settings.callTimeout()));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }
}
