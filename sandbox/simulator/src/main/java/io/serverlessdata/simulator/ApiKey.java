package io.serverlessdata.simulator;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * An API key as API Gateway holds it: id (the resource's physical id), its secret value, name and creation time.
 *
 * @param id the key's id, the {@code ApiKeyId} output
 * @param value the secret value clients send in {@code x-api-key}
 * @param name the key's name
 * @param createdDate when the key was made
 */
record ApiKey(String id, String value, String name, Instant createdDate) {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh value, 40 letters and digits like the keys API Gateway generates. */
  static String newValue() {
    StringBuilder value = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return value.toString();
  }

  @Override
  public String toString() {
    return "ApiKey[id=" + id + ", name=" + name + "]";
  }
}
