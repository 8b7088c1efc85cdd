package io.serverlessdata.operator.cloudformation;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Takes a token of the {@link CallBudget} before every request the SDK sends: every attempt, retries included,
 * and every operation, also those added to the port later.
 */
final class AwsCallBudgetInterceptor implements ExecutionInterceptor {

  private final CallBudget budget;

  AwsCallBudgetInterceptor(CallBudget budget) {
    this.budget = budget;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    try {
      budget.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AbortedException.builder().message("interrupted while waiting for the AWS call budget").cause(e).build();
    }
  }
}
