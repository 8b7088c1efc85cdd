package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTokensTest {

  private static final String VALID = "[a-zA-Z0-9][-a-zA-Z0-9]{0,127}";

  @Test
  void theSameOperationGivesTheSameTokenSoARetryIsOne() {
    assertThat(ClientTokens.of("execute", "arn:cs/1")).isEqualTo(ClientTokens.of("execute", "arn:cs/1")).matches(VALID);
  }

  @Test
  void theSameNamesOnAnotherStackIncarnationGiveAnotherToken() {
    String first = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-orders/0f6c0a30-5d3b-11ef-9d41-0a1b2c3d4e5f";
    String second = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-orders/77aa1b2c-9d3b-11ef-8d41-0a1b2c3d4e60";

    assertThat(ClientTokens.of("delete", first)).isNotEqualTo(ClientTokens.of("delete", second));
    assertThat(ClientTokens.of("plan", "sds-g1-abc", first)).isNotEqualTo(ClientTokens.of("plan", "sds-g1-abc", second));
    assertThat(ClientTokens.of("plan", "sds-g1-abc", first)).isNotEqualTo(ClientTokens.of("execute", "sds-g1-abc", first));
  }

  @Test
  void tokensAreValidWhateverTheirParts() {
    assertThat(ClientTokens.of("delete", "a".repeat(2000))).matches(VALID)
        .isNotEqualTo(ClientTokens.of("delete", "a".repeat(1999) + "b"));
    assertThat(ClientTokens.of("plan", "x", "")).isNotEqualTo(ClientTokens.of("plan", "x"));
  }
}
