package io.serverlessdata.sandbox;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oldest kubectl the sandbox serves, and how to tell a kubectl's version from what it sends. The embedded API
 * serves OpenAPI v3 only (no v2); kubectl validates {@code apply} and answers {@code explain} from v3 since 1.27,
 * so an older one fails on most commands with messages that do not say why. The sandbox refuses such a kubectl
 * with one clear message instead.
 *
 * @param major the major version
 * @param minor the minor version
 * @param text the version as the client gave it ({@code v1.20.2})
 */
record KubectlVersion(int major, int minor, String text) {

  static final int MINIMUM_MAJOR = 1;
  static final int MINIMUM_MINOR = 27;
  /** kubectl's User-Agent: {@code kubectl/v1.20.5 (linux/amd64) kubernetes/a1b2c3d}. */
  private static final Pattern USER_AGENT = Pattern.compile("^kubectl/(v(\\d+)\\.(\\d+)[^\\s/]*)");
  /** {@code "gitVersion": "v1.32.3"} in {@code kubectl version --client -o json}. */
  private static final Pattern GIT_VERSION = Pattern.compile("\"gitVersion\"\\s*:\\s*\"(v(\\d+)\\.(\\d+)[^\"]*)\"");

  /** The version of the kubectl that sent this User-Agent; empty for another client or no header. */
  static Optional<KubectlVersion> fromUserAgent(String userAgent) {
    return userAgent == null ? Optional.empty() : match(USER_AGENT.matcher(userAgent));
  }

  /** The client's version from the output of {@code kubectl version --client -o json}. */
  static Optional<KubectlVersion> fromVersionJson(String json) {
    return json == null ? Optional.empty() : match(GIT_VERSION.matcher(json));
  }

  private static Optional<KubectlVersion> match(Matcher matcher) {
    if (!matcher.find()) {
      return Optional.empty();
    }
    return Optional.of(new KubectlVersion(Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)),
        matcher.group(1)));
  }

  /**
   * Older than 1.27. A build without version information ({@code v0.0.0}, e.g. built from source without the
   * release's flags) is given the benefit of the doubt.
   */
  boolean tooOld() {
    if (major == 0 && minor == 0) {
      return false;
    }
    return major < MINIMUM_MAJOR || (major == MINIMUM_MAJOR && minor < MINIMUM_MINOR);
  }

  /** What the sandbox answers such a kubectl: the version seen, the version needed and how to get one. */
  String refusal() {
    return "kubectl " + text + " is too old for the sandbox: it needs kubectl " + MINIMUM_MAJOR + "." + MINIMUM_MINOR
        + " or newer (the sandbox's API serves OpenAPI v3 only, which kubectl uses from 1.27 on). Install a current"
        + " kubectl (https://kubernetes.io/docs/tasks/tools/; Debian 12's kubernetes-client package is 1.20, too old)"
        + " and put it first on the PATH";
  }
}
