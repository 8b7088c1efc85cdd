package io.serverlessdata.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code NextToken}s of the simulated list and describe actions: opaque to the caller (AWS's are, 1-1024
 * characters), each naming the action it belongs to and the position its next page starts from. A token of another
 * action, or one that was not issued, is a {@code ValidationError}.
 */
final class PageTokens {

  private PageTokens() {}

  static String of(String action, long position) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((action + ":" + position).getBytes(StandardCharsets.UTF_8));
  }

  static long position(String action, String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(action + ":")) {
        return Long.parseLong(decoded.substring(action.length() + 1));
      }
    } catch (IllegalArgumentException e) {
      // not one of ours: refused below
    }
    throw SimulatorException.validation("Invalid NextToken for " + action + ": " + token);
  }
}
