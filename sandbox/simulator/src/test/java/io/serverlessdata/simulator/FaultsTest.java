package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultsTest {

  @Test
  void aFailureArmedForOneStackHitsOnlyThatStackOnce() {
    Faults faults = new Faults();
    faults.failResource("default-orders", "ProcessingTable", "simulated");

    assertThat(faults.takeResourceFailure("default-billing", Set.of("ProcessingTable"))).isEmpty();
    assertThat(faults.takeResourceFailure("default-orders", Set.of("ProcessorFunction"))).isEmpty();
    assertThat(faults.takeResourceFailure("default-orders", Set.of("ProcessingTable", "ProcessorFunction")))
        .hasValue(new Faults.ResourceFailure("ProcessingTable", "simulated"));
    assertThat(faults.takeResourceFailure("default-orders", Set.of("ProcessingTable"))).isEmpty();
  }

  @Test
  void aFailureArmedForAnyStackStillHitsTheFirstStackThatTouchesTheResource() {
    Faults faults = new Faults();
    faults.failResource("ProcessingTable", "any stack");

    assertThat(faults.takeResourceFailure("default-billing", Set.of("ProcessingTable")))
        .hasValue(new Faults.ResourceFailure("ProcessingTable", "any stack"));
    assertThat(faults.takeResourceFailure("default-orders", Set.of("ProcessingTable"))).isEmpty();
  }
}
