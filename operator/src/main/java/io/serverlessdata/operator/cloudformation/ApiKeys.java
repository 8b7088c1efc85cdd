package io.serverlessdata.operator.cloudformation;

/**
 * Reads the value of a stack's API key (the {@code ApiKeyId} output), for the Secret that applications mount.
 * The value is a credential: callers hand it to Kubernetes and nowhere else (no status, events or logs).
 */
public interface ApiKeys {

  /**
   * The key's value.
   *
   * @throws TransientStackOperationException API Gateway could not answer now (throttling, server errors,
   *     timeouts), after the SDK's retries
   * @throws RejectedStackOperationException the key does not exist ({@code NotFoundException}) or may not be read
   *     ({@code AccessDeniedException}: the operator's role lacks {@code apigateway:GET} on the key)
   */
  String value(String apiKeyId);

  /**
   * For an operator assembled without an API Gateway client: every read is refused with a message that says
   * so, and the Secret export reports it in the resource's conditions.
   */
  ApiKeys NONE = apiKeyId -> {
    throw new RejectedStackOperationException("GetApiKey", "ApiGatewayNotConfigured",
        "the operator runs without an API Gateway client, so it cannot read API key " + apiKeyId, null);
  };
}
