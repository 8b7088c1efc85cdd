package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTokensTest {

  private static final String VALID = "[a-zA-Z0-9][-a-zA-Z0-9]{0,127}";

  @Test
  void theSameNameGivesTheSameToken() {
    assertThat(ClientTokens.of("execute", "g3-1a2b3c")).isEqualTo("execute-g3-1a2b3c")
        .isEqualTo(ClientTokens.of("execute", "g3-1a2b3c"));
  }

  @Test
  void stackIdsAndLongNamesGiveValidTokens() {
    String stackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-orders/0f6c0a30-5d3b-11ef-9d41-0a1b2c3d4e5f";
    assertThat(ClientTokens.of("delete", stackId)).matches(VALID);
    assertThat(ClientTokens.of("delete", "a".repeat(128))).matches(VALID)
        .isNotEqualTo(ClientTokens.of("delete", "a".repeat(127) + "b"));
  }
}
