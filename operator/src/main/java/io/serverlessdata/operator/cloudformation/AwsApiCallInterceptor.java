package io.serverlessdata.operator.cloudformation;

import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An SDK interceptor that reports every call of the client it is installed on, by operation name, to an
 * {@link ApiCallListener}. Sitting in the SDK rather than around {@link StackOperations}, it counts every call
 * the adapter makes, whatever port method made it.
 */
public final class AwsApiCallInterceptor implements ExecutionInterceptor {

  private final ApiCallListener listener;

  public AwsApiCallInterceptor(ApiCallListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    listener.completed(operation(attributes), ApiCallOutcome.SUCCESS);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    listener.completed(operation(attributes), outcome(context.exception()));
  }

  static ApiCallOutcome outcome(Throwable failure) {
    if (failure instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) failure;
      if (service.isThrottlingException()) {
        return ApiCallOutcome.THROTTLED;
      }
      return service.statusCode() >= 500 ? ApiCallOutcome.SERVER_ERROR : ApiCallOutcome.CLIENT_ERROR;
    }
    return ApiCallOutcome.NETWORK_ERROR;
  }

  private static String operation(ExecutionAttributes attributes) {
    String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    return name == null ? "unknown" : name;
  }
}
