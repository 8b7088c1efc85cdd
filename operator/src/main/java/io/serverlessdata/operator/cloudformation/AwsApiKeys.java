package io.serverlessdata.operator.cloudformation;

import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/**
 * {@link ApiKeys} on the AWS SDK v2 API Gateway client: {@code GetApiKey} with {@code includeValue}. Throttling
 * and server errors are retried inside the SDK like the CloudFormation client's; what is left is translated by
 * {@link AwsErrors} ({@code NotFoundException} and {@code AccessDeniedException} are rejections).
 */
public final class AwsApiKeys implements ApiKeys, AutoCloseable {

  private final ApiGatewayClient client;

  public AwsApiKeys(ApiGatewayClient client) {
    this.client = client;
  }

  /** An adapter with the same region, credentials, timeouts and retries as the CloudFormation client. */
  public static AwsApiKeys create(ClientSettings settings) {
    return create(settings, List.of());
  }

  /** An adapter whose every API Gateway call is reported to {@code listener} (the operator's metrics). */
  public static AwsApiKeys create(ClientSettings settings, ApiCallListener listener) {
    return create(settings, List.of(new AwsApiCallInterceptor(listener)));
  }

  private static AwsApiKeys create(ClientSettings settings, List<ExecutionInterceptor> interceptors) {
    return new AwsApiKeys(CloudFormationClientFactory.configure(ApiGatewayClient.builder(), settings, interceptors)
        .build());
  }

  @Override
  public String value(String apiKeyId) {
    try {
      String value = client.getApiKey(r -> r.apiKey(apiKeyId).includeValue(true)).value();
      if (value == null || value.isEmpty()) {
        throw new RejectedStackOperationException("GetApiKey", "MissingValue",
            "API Gateway returned API key " + apiKeyId + " without its value", null);
      }
      return value;
    } catch (SdkException e) {
      throw AwsErrors.translate("GetApiKey", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
