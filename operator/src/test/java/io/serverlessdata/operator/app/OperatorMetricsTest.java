package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.cloudformation.ApiCallOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

  private final OperatorMetrics metrics = new OperatorMetrics();

  @Test
  void stacksAreCountedByStatusAndDriftWithResourcesWithoutAStackAsNoneAndUncheckedAsNotChecked() {
    List<ServerlessDataStack> cache = new ArrayList<>(List.of(
        resource("a", "CREATE_COMPLETE", "IN_SYNC"), resource("b", "CREATE_COMPLETE", null),
        resource("c", "UPDATE_ROLLBACK_COMPLETE", "DRIFTED"), resource("d", null, null)));
    metrics.observeResources(() -> cache);

    String scraped = metrics.scrape();

    assertThat(scraped)
        .contains("sds_stacks{stack_status=\"CREATE_COMPLETE\"} 2")
        .contains("sds_stacks{stack_status=\"UPDATE_ROLLBACK_COMPLETE\"} 1")
        .contains("sds_stacks{stack_status=\"NONE\"} 1")
        .contains("sds_stack_drift{drift_status=\"NOT_CHECKED\"} 2")
        .contains("sds_stack_drift{drift_status=\"IN_SYNC\"} 1")
        .contains("sds_stack_drift{drift_status=\"DRIFTED\"} 1");

    cache.remove(2);
    assertThat(metrics.scrape()).as("a status no resource has any more disappears")
        .doesNotContain("UPDATE_ROLLBACK_COMPLETE").doesNotContain("DRIFTED");
  }

  @Test
  void cloudFormationCallsAreCountedByOperationAndOutcome() {
    metrics.cloudFormationCalls().completed("DescribeStacks", ApiCallOutcome.SUCCESS);
    metrics.cloudFormationCalls().completed("DescribeStacks", ApiCallOutcome.SUCCESS);
    metrics.cloudFormationCalls().completed("CreateChangeSet", ApiCallOutcome.THROTTLED);

    assertThat(metrics.scrape())
        .contains("sds_outbound_api_requests_total{operation=\"DescribeStacks\",outcome=\"success\",service=\"cloudformation\"} 2")
        .contains("sds_outbound_api_requests_total{operation=\"CreateChangeSet\",outcome=\"throttled\",service=\"cloudformation\"} 1");
  }

  private static ServerlessDataStack resource(String name, String stackStatus, String drift) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
    if (stackStatus != null) {
      ServerlessDataStackStatus status = new ServerlessDataStackStatus();
      status.setStackStatus(stackStatus);
      if (drift != null) {
        status.setDrift(new ServerlessDataStackStatus.DriftStatus(drift, null, null, null, null, null, null, List.of(), null, null, null));
      }
      resource.setStatus(status);
    }
    return resource;
  }
}
