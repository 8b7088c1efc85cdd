package io.serverlessdata.operator.cloudformation;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Takes a token of the {@link CallBudget} before every request the SDK sends: every attempt, retries included,
 * and every operation, also those added to the port later. A request marked {@link #AHEAD} (the account's listing)
 * takes the next token due, ahead of the callers that wait ({@link CallBudget#acquireAhead()}).
 */
final class AwsCallBudgetInterceptor implements ExecutionInterceptor {

  /** Set on a request whose attempts go ahead of the waiting calls. */
  static final ExecutionAttribute<Boolean> AHEAD = new ExecutionAttribute<>("sds.callBudget.ahead");

  private final CallBudget budget;

  AwsCallBudgetInterceptor(CallBudget budget) {
    this.budget = budget;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    try {
      if (Boolean.TRUE.equals(executionAttributes.getAttribute(AHEAD))) {
        budget.acquireAhead();
      } else {
        budget.acquire();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AbortedException.builder().message("interrupted while waiting for the AWS call budget").cause(e).build();
    }
  }
}
