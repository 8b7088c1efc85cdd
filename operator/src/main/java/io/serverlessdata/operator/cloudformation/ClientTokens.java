package io.serverlessdata.operator.cloudformation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency tokens derived from names the caller already chose, so that a call repeated after a crash
 * carries the same token as the first one. CloudFormation takes 1-128 characters of
 * {@code [a-zA-Z0-9][-a-zA-Z0-9]*}.
 */
final class ClientTokens {

  private static final int MAX_LENGTH = 128;

  private ClientTokens() {}

  /**
   * The token for one purpose (e.g. {@code execute}) on one named thing.
   *
   * @param purpose letters, names the call
   * @param name a change-set or stack name, or a stack id
   */
  static String of(String purpose, String name) {
    String token = purpose + "-" + name.replaceAll("[^-a-zA-Z0-9]", "-");
    return token.length() <= MAX_LENGTH ? token : purpose + "-" + sha256(name);
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
