package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void theDefaultAwsBudgetIsFiveCallsASecondWithABurstOfTen() {
    OperatorConfig config = OperatorConfig.defaults();

    assertThat(config.awsCallBudget().callsPerSecond()).isEqualTo(5.0);
    assertThat(config.awsCallBudget().burst()).isEqualTo(10);
  }

  @Test
  void aBudgetThatCannotBeHonouredIsRefusedNamingTheSetting() {
    OperatorConfig config = OperatorConfig.defaults();

    assertThatThrownBy(() -> config.withAwsCallBudget(0, 10)).hasMessageContaining("awsCallsPerSecond");
    assertThatThrownBy(() -> config.withAwsCallBudget(Double.POSITIVE_INFINITY, 10))
        .hasMessageContaining("awsCallsPerSecond");
    assertThatThrownBy(() -> config.withAwsCallBudget(5, 0)).hasMessageContaining("awsCallBurst");
  }

  @Test
  void aBudgetSoLowThatReconcilesWouldTimeOutWaitingForItIsRefused() {
    OperatorConfig config = OperatorConfig.defaults();

    assertThat(config.withAwsCallBudget(1, 1).awsCallsPerSecond()).isEqualTo(1.0);
    assertThatThrownBy(() -> config.withAwsCallBudget(0.5, 1))
        .hasMessageContaining("concurrency 10").hasMessageContaining("lower the concurrency");
  }
}
