package io.serverlessdata.operator.cloudformation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency tokens for CloudFormation's mutating calls, derived from what the call is about, so that a call
 * repeated after a crash carries the same token as the first one (CloudFormation then treats it as a retry) while
 * any other intended operation gets a token of its own. What a call is about always includes the stack incarnation
 * (its id, an ARN with a UUID) or the change set's id: a name alone would repeat after an out-of-band deletion and
 * re-creation, and CloudFormation would take the new request for a retry of the old one and do nothing. Tokens are
 * {@code <purpose>-<sha256 of the parts>}, within CloudFormation's 1-128 characters of {@code [a-zA-Z0-9][-a-zA-Z0-9]*}.
 */
final class ClientTokens {

  private ClientTokens() {}

  /**
   * The token for one purpose (e.g. {@code execute}) on one thing.
   *
   * @param purpose letters, names the call
   * @param parts what identifies the one intended operation (ids, names, times)
   */
  static String of(String purpose, String... parts) {
    return purpose + "-" + sha256(String.join("\n", parts));
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
