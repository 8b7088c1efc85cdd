package io.serverlessdata.operator.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Policy documents and statements, as maps the template writes out. */
final class Iam {

  static final String VERSION = "2012-10-17";

  private Iam() {}

  static Map<String, Object> document(List<Map<String, Object>> statements) {
    return Map.of("Version", VERSION, "Statement", statements);
  }

  /** Allows these actions on these resources for the principal the policy is attached to. */
  static Map<String, Object> allow(String sid, List<String> actions, List<?> resources) {
    return statement(sid, "Allow", null, actions, resources, null);
  }

  static Map<String, Object> statement(
      String sid, String effect, Map<String, ?> principal, List<String> actions, List<?> resources,
      Map<String, ?> condition) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Sid", sid);
    statement.put("Effect", effect);
    if (principal != null) {
      statement.put("Principal", principal);
    }
    statement.put("Action", actions);
    statement.put("Resource", resources);
    if (condition != null) {
      statement.put("Condition", condition);
    }
    return statement;
  }

  /** A role's trust policy for an AWS service. */
  static Map<String, Object> trust(String service) {
    return document(List.of(Map.of(
        "Effect", "Allow",
        "Principal", service(service),
        "Action", List.of("sts:AssumeRole"))));
  }

  static Map<String, Object> service(String service) {
    return Map.of("Service", service);
  }

  /** Denies every request that does not use TLS. */
  static Map<String, Object> denyInsecureTransport(List<String> actions, List<?> resources) {
    return statement("DenyInsecureTransport", "Deny", Map.of("AWS", "*"), actions, resources,
        Map.of("Bool", Map.of("aws:SecureTransport", "false")));
  }
}
