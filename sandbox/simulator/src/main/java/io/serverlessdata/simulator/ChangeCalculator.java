package io.serverlessdata.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a change set the way CloudFormation does: per logical id, {@code Add}, {@code Remove} or
 * {@code Modify}, comparing the effective property values of the current and the next deployment
 * (parameters and {@code Fn::Sub} resolved). A {@code Modify} replaces the resource ({@code True}) when its
 * type changes or a property that identifies it changes ({@link Replacements}); a property that only changes
 * because a resource it refers to is replaced makes the replacement {@code Conditional}.
 */
final class ChangeCalculator {

  /** Why a resource changes: one property (or the tags) and whether that change recreates it. */
  record Detail(String attribute, String name, String requiresRecreation, String evaluation, String changeSource) {}

  /** One resource's planned change, as DescribeChangeSet lists it. */
  record ResourceChange(String action, String logicalId, Optional<String> physicalId, String type,
      Optional<String> replacement, Set<String> scope, List<Detail> details) {}

  /**
   * The planned changes.
   *
   * @param changes resource changes, by logical id
   * @param changesStack whether executing changes anything at all (resources, outputs, parameters or tags)
   */
  record Plan(List<ResourceChange> changes, boolean changesStack) {}

  private final String stackName;
  private final String stackId;

  ChangeCalculator(String stackName, String stackId) {
    this.stackName = stackName;
    this.stackId = stackId;
  }

  /**
   * @param current what the stack runs; empty for a stack that is being created
   * @param physicalIds the current resources' physical ids
   * @param next what the change set would make it run
   */
  Plan compute(Optional<Deployment> current, Map<String, String> physicalIds, Deployment next) {
    if (current.isEmpty()) {
      List<ResourceChange> adds = next.template().resources().values().stream()
          .map(r -> new ResourceChange("Add", r.logicalId(), Optional.empty(), r.type(), Optional.empty(), Set.of(),
              List.of()))
          .toList();
      return new Plan(adds, true);
    }
    Deployment now = current.get();
    Intrinsics before = placeholders(now, Set.of());
    Intrinsics after = placeholders(next, Set.of());
    Set<String> replaced = new HashSet<>();
    List<ResourceChange> changes = new ArrayList<>();
    boolean tagsChanged = !now.tags().equals(next.tags());
    for (String logicalId : next.template().order()) {
      SimulatedTemplate.Resource planned = next.template().resources().get(logicalId);
      SimulatedTemplate.Resource existing = now.template().resources().get(logicalId);
      Optional<String> physicalId = Optional.ofNullable(physicalIds.get(logicalId));
      if (existing == null) {
        replaced.add(logicalId);
        changes.add(new ResourceChange("Add", logicalId, Optional.empty(), planned.type(), Optional.empty(), Set.of(),
            List.of()));
        continue;
      }
      if (!existing.type().equals(planned.type())) {
        replaced.add(logicalId);
        changes.add(new ResourceChange("Modify", logicalId, physicalId, planned.type(), Optional.of("True"),
            Set.of("Properties"), List.of()));
        continue;
      }
      Map<String, Object> old = before.resolveProperties(existing.properties());
      Map<String, Object> statically = after.resolveProperties(planned.properties());
      Map<String, Object> dynamically = placeholders(next, replaced).resolveProperties(planned.properties());
      List<Detail> details = compare(planned.type(), old, statically, dynamically, tagsChanged);
      if (details.isEmpty()) {
        continue;
      }
      String replacement = details.stream().anyMatch(d -> "Always".equals(d.requiresRecreation())) ? "True"
          : details.stream().anyMatch(d -> "Conditional".equals(d.requiresRecreation())) ? "Conditional" : "False";
      if ("True".equals(replacement)) {
        replaced.add(logicalId);
      }
      Set<String> scope = new TreeSet<>();
      details.forEach(d -> scope.add(d.attribute()));
      changes.add(new ResourceChange("Modify", logicalId, physicalId, planned.type(), Optional.of(replacement), scope,
          details));
    }
    now.template().resources().values().stream()
        .filter(r -> !next.template().resources().containsKey(r.logicalId()))
        .forEach(r -> changes.add(new ResourceChange("Remove", r.logicalId(),
            Optional.ofNullable(physicalIds.get(r.logicalId())), r.type(), Optional.empty(), Set.of(), List.of())));
    changes.sort((a, b) -> a.logicalId().compareTo(b.logicalId()));
    boolean changesStack = !changes.isEmpty() || tagsChanged || !now.parameters().equals(next.parameters())
        || !outputs(now, before).equals(outputs(next, after));
    return new Plan(List.copyOf(changes), changesStack);
  }

  /**
   * A drift-reverting ({@code REVERT_DRIFT}) change set also puts back what drifted: a deleted resource is added
   * again, a modified one is modified back, replaced when a property that identifies it drifted.
   *
   * @param plan the changes of the template
   * @param drift what drifted
   * @param types the live resources' types by logical id
   * @param physicalIds their physical ids
   */
  static Plan revertingDrift(Plan plan, SimulatedDrift drift, Map<String, String> types, Map<String, String> physicalIds) {
    Set<String> planned = new HashSet<>();
    plan.changes().forEach(c -> planned.add(c.logicalId()));
    List<ResourceChange> changes = new ArrayList<>(plan.changes());
    for (String logicalId : drift.resources()) {
      String type = types.get(logicalId);
      if (type == null || planned.contains(logicalId)) {
        continue;
      }
      if (drift.deleted(logicalId)) {
        changes.add(new ResourceChange("Add", logicalId, Optional.empty(), type, Optional.empty(), Set.of(), List.of()));
        continue;
      }
      List<Detail> details = drift.modifiedPaths(logicalId).stream()
          .map(path -> path.substring(1).split("/")[0])
          .distinct()
          .map(property -> new Detail("Properties", property,
              Replacements.requiresReplacement(type, property) ? "Always" : "Never", "Static", "DirectModification"))
          .toList();
      String replacement = details.stream().anyMatch(d -> "Always".equals(d.requiresRecreation())) ? "True" : "False";
      changes.add(new ResourceChange("Modify", logicalId, Optional.ofNullable(physicalIds.get(logicalId)), type,
          Optional.of(replacement), Set.of("Properties"), details));
    }
    changes.sort((a, b) -> a.logicalId().compareTo(b.logicalId()));
    return new Plan(List.copyOf(changes), plan.changesStack() || changes.size() > plan.changes().size());
  }

  private static List<Detail> compare(String type, Map<String, Object> old, Map<String, Object> statically,
      Map<String, Object> dynamically, boolean stackTagsChanged) {
    List<Detail> details = new ArrayList<>();
    Set<String> properties = new TreeSet<>(old.keySet());
    properties.addAll(statically.keySet());
    properties.remove("Tags");
    for (String property : properties) {
      boolean replaces = Replacements.requiresReplacement(type, property);
      if (!Objects.equals(old.get(property), statically.get(property))) {
        details.add(new Detail("Properties", property, replaces ? "Always" : "Never", "Static", "DirectModification"));
      } else if (!Objects.equals(old.get(property), dynamically.get(property))) {
        details.add(new Detail("Properties", property, replaces ? "Conditional" : "Never", "Dynamic",
            "ResourceReference"));
      }
    }
    boolean taggable = old.containsKey("Tags") || statically.containsKey("Tags");
    if (!Objects.equals(old.get("Tags"), statically.get("Tags")) || (taggable && stackTagsChanged)) {
      details.add(new Detail("Tags", null, "Never", "Static", "DirectModification"));
    }
    return details;
  }

  private Map<String, String> outputs(Deployment deployment, Intrinsics intrinsics) {
    Map<String, String> values = new TreeMap<>();
    deployment.template().outputs().values().forEach(o -> values.put(o.name(), intrinsics.resolveText(o.value())));
    return values;
  }

  /** Resources stand for placeholders; those in {@code replaced} for new ones, since their identity changes. */
  private Intrinsics placeholders(Deployment deployment, Set<String> replaced) {
    return new Intrinsics(deployment.parameters(), stackName, stackId, new Intrinsics.ResourceValues() {
      @Override
      public Object ref(String logicalId) {
        return "{{" + logicalId + (replaced.contains(logicalId) ? "'" : "") + "}}";
      }

      @Override
      public Object attribute(String logicalId, String attribute) {
        return "{{" + logicalId + (replaced.contains(logicalId) ? "'" : "") + "." + attribute + "}}";
      }
    });
  }
}
