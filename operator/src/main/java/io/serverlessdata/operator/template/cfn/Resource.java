package io.serverlessdata.operator.template.cfn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A resource of a template: a logical id, a type and its properties, plus the attributes that steer
 * CloudFormation ({@code DependsOn}, {@code DeletionPolicy}, {@code UpdateReplacePolicy}).
 *
 * <p>A part of the stack builds its resources with {@link #set}; intrinsics that point at it come from
 * {@link #ref()} and {@link #getAtt(String)}.
 */
public final class Resource implements Referenceable {

  /**
   * Values of {@code DeletionPolicy}: what CloudFormation does with the resource when it leaves the stack
   * (the stack is deleted, or the resource is removed from the template).
   *
   * @see <a href="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html">DeletionPolicy attribute</a>
   */
  public enum DeletionPolicy {
    Delete,
    Retain,
    /**
     * {@code Retain}, except when the stack operation that created the resource is rolled back: then the resource
     * is deleted, so a failed first create leaves nothing behind.
     */
    RetainExceptOnCreate,
    Snapshot
  }

  /**
   * Values of {@code UpdateReplacePolicy}: what CloudFormation does with the old physical resource when an update
   * replaces it. {@code RetainExceptOnCreate} is a deletion policy only.
   *
   * @see <a href="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html">UpdateReplacePolicy attribute</a>
   */
  public enum UpdateReplacePolicy {
    Delete,
    Retain,
    Snapshot
  }

  private final String logicalId;
  private final ResourceType type;
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final Set<Resource> dependsOn = new TreeSet<>((a, b) -> a.logicalId.compareTo(b.logicalId));
  private DeletionPolicy deletionPolicy;
  private UpdateReplacePolicy updateReplacePolicy;

  public Resource(String logicalId, ResourceType type) {
    if (!logicalId.matches("[A-Za-z0-9]{1,255}")) {
      throw new IllegalArgumentException("logical ids are alphanumeric: " + logicalId);
    }
    this.logicalId = logicalId;
    this.type = Objects.requireNonNull(type);
  }

  @Override
  public String logicalId() {
    return logicalId;
  }

  public ResourceType type() {
    return type;
  }

  /** Sets a property; {@code null} or an empty {@link Optional} leaves it out. */
  public Resource set(String property, Object value) {
    if (value instanceof Optional<?> optional) {
      value = optional.orElse(null);
    }
    if (value == null) {
      properties.remove(property);
    } else {
      properties.put(property, value);
    }
    return this;
  }

  public Resource dependsOn(Resource... others) {
    dependsOn.addAll(List.of(others));
    return this;
  }

  /** Sets {@code DeletionPolicy} and {@code UpdateReplacePolicy}. */
  public Resource policies(DeletionPolicy onDelete, UpdateReplacePolicy onReplace) {
    this.deletionPolicy = Objects.requireNonNull(onDelete, "onDelete");
    this.updateReplacePolicy = Objects.requireNonNull(onReplace, "onReplace");
    return this;
  }

  public Intrinsic getAtt(String attribute) {
    return Fn.getAtt(this, attribute);
  }

  public Map<String, Object> properties() {
    return Collections.unmodifiableMap(properties);
  }

  public Set<Resource> dependencies() {
    return Collections.unmodifiableSet(dependsOn);
  }

  /** The resource as it appears under {@code Resources}, with its properties in canonical form. */
  Map<String, Object> toTemplate() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Type", type.name());
    if (!dependsOn.isEmpty()) {
      body.put("DependsOn", dependsOn.stream().map(Resource::logicalId).toList());
    }
    if (deletionPolicy != null) {
      body.put("DeletionPolicy", deletionPolicy.name());
    }
    if (updateReplacePolicy != null) {
      body.put("UpdateReplacePolicy", updateReplacePolicy.name());
    }
    if (!properties.isEmpty()) {
      body.put("Properties", Canonical.of(properties));
    }
    return body;
  }

  @Override
  public String toString() {
    return logicalId + " (" + type.name() + ")";
  }
}
