package io.serverlessdata.operator.cloudformation;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClientBuilder;

/** Builds the AWS SDK's CloudFormation client for us-east-1 from {@link ClientSettings}. */
public final class CloudFormationClientFactory {

  /** The operator drives stacks in this region only. */
  public static final Region REGION = Region.US_EAST_1;

  private CloudFormationClientFactory() {}

  public static CloudFormationClient create(ClientSettings settings) {
    CloudFormationClientBuilder builder = CloudFormationClient.builder()
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
            // every attempt, retries included, waits for a token of the operator's budget
            .addExecutionInterceptor(new AwsCallBudgetInterceptor(settings.budget()))
            .apiCallAttemptTimeout(settings.attemptTimeout())
            .apiCallTimeout(settings.callTimeout()));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
