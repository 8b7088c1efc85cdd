package io.serverlessdata.operator.api;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serverlessdata.operator.template.StackSettings;

/** Settings as the operator would resolve them for a minimal spec, for stacks tests create by hand. */
public final class SpecResolverAccess {

  private SpecResolverAccess() {}

  /** The settings of a minimal spec with this prefix, without owner tags (the stack belongs to nobody). */
  public static StackSettings settings(String prefix) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().build());
    resource.setSpec(new ServerlessDataStackSpec(prefix, null, null, "ops@example.com", null, null, "by-hand", null,
        null, null, null, null, null, null, null, null));
    try {
      return SpecResolver.resolve(resource).settings();
    } catch (InvalidSpecException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
