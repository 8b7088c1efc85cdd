package io.serverlessdata.operator.scale;

import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.simulator.StackChange;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How stale the resources' status is (docs/performance.md): for every change of a stack the simulator reports (each
 * status it enters, each drift detection that finishes, with the simulated time it took effect), the simulated time
 * until the status of the resource that owns the stack first showed that state or a later one. Fed from two sides —
 * the simulator's {@link StackChange}s and every status the run's own informer sees — and computed at the end.
 *
 * <p>Kinds, by what changed:
 *
 * <ul>
 *   <li><b>moving</b>: a stack the operator set moving goes on or ends (its creates; a stack created again after an
 *       out-of-band deletion), told apart by whether the budget was busy with the create phase;</li>
 *   <li><b>still</b>: a stack that stood still changes without the operator: a drift detection finishes (its
 *       drift information), or someone starts an update in the console;</li>
 *   <li><b>out of band</b>: the rest of what someone else did: a deletion (the status stops showing the stack), the
 *       end of their update, succeeded or rolled back.</li>
 * </ul>
 */
final class Staleness {

  enum Kind {
    MOVING_CREATE("moving: the operator's creates, during the create phase (budget saturated)"),
    MOVING_LATER("moving: the operator's operations after the create phase (stacks created again)"),
    STILL_DRIFT("still: a drift detection finished (drift information)"),
    STILL_UPDATE_STARTED("still: someone started an update in the console"),
    OUT_OF_BAND_DELETED("out of band: stack deleted in the console"),
    OUT_OF_BAND_UPDATE_ENDED("out of band: the console update completed or rolled back"),
    RESTARTING("(not in the categories) while the operator restarted: its process stopped until the new one listed");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    String category() {
      return this == RESTARTING ? "restart" : name().startsWith("MOVING") ? "moving" : name().startsWith("STILL")
          ? "still" : "out of band";
    }
  }

  /** What the status of one resource showed, from when. */
  private record Seen(Instant at, String stackId, String status, String lastCheck) {}

  /** Someone else's operation on a stack, from when. */
  private record Mark(String stackId, boolean deletion, Instant at) {}

  private final List<StackChange> changes = new ArrayList<>();
  private final Map<String, List<Seen>> seen = new HashMap<>();
  private final List<Mark> marks = new ArrayList<>();
  /** When no operator ran: from a stop until the next operator had started (and made its first listing). */
  private final List<Instant[]> down = new ArrayList<>();
  private volatile Instant createPhaseEnd = Instant.MAX;

  /** The simulator's listener. */
  synchronized void changed(StackChange change) {
    changes.add(change);
  }

  /** The informer's handler: the resource's status as it is now, at this simulated time. */
  synchronized void seen(ServerlessDataStack resource, Instant at) {
    var status = resource.getStatus();
    if (status == null || status.getStackId() == null) {
      return;
    }
    String lastCheck = status.getDrift() == null || status.getDrift().lastCheckTime() == null ? null
        : seconds(Instant.parse(status.getDrift().lastCheckTime()));
    Seen now = new Seen(at, status.getStackId(), status.getStackStatus(), lastCheck);
    List<Seen> history = seen.computeIfAbsent(resource.getMetadata().getName(), n -> new ArrayList<>());
    Seen last = history.isEmpty() ? null : history.get(history.size() - 1);
    if (last == null || !Objects.equals(last.stackId, now.stackId) || !Objects.equals(last.status, now.status)
        || !Objects.equals(last.lastCheck, now.lastCheck)) {
      history.add(now);
    }
  }

  synchronized void operatorStopping(Instant at) {
    down.add(new Instant[] {at, Instant.MAX});
  }

  synchronized void operatorStarted(Instant at) {
    if (!down.isEmpty() && down.get(down.size() - 1)[1].equals(Instant.MAX)) {
      down.get(down.size() - 1)[1] = at;
    }
  }

  void createPhaseEnded(Instant at) {
    createPhaseEnd = at;
  }

  /** Someone deletes the stack in the console, now. */
  synchronized void deletedOutOfBand(String stackId, Instant at) {
    marks.add(new Mark(stackId, true, at));
  }

  /** Someone executes an update of the stack in the console, now. */
  synchronized void updatedOutOfBand(String stackId, Instant at) {
    marks.add(new Mark(stackId, false, at));
  }

  /** Staleness of one kind: how many changes, percentiles, and how many the status never showed. */
  record Figures(int count, Duration p50, Duration p99, Duration max, int notShown) {}

  /** The figures of every kind, for the changes that took effect before {@code until}. */
  synchronized Map<Kind, Figures> figures(Instant until) {
    Map<Kind, List<Optional<Duration>>> delays = delays(until);
    Map<Kind, Figures> figures = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      figures.put(kind, figures(delays.getOrDefault(kind, List.of())));
    }
    return figures;
  }

  /** The figures of each category (moving, still, out of band), every kind in it together. */
  synchronized Map<String, Figures> categories(Instant until) {
    Map<Kind, List<Optional<Duration>>> delays = delays(until);
    Map<String, Figures> out = new LinkedHashMap<>();
    for (String category : List.of("moving", "still", "out of band")) {
      out.put(category, figures(delays.entrySet().stream().filter(e -> e.getKey().category().equals(category))
          .flatMap(e -> e.getValue().stream()).toList()));
    }
    return out;
  }

  /** Every change before {@code until}, one line each (CSV): stack, status, kind, when, when shown, delay (s). */
  synchronized List<String> lines(Instant until) {
    Map<String, String> owner = new HashMap<>();
    seen.forEach((name, history) -> history.forEach(s -> owner.putIfAbsent(s.stackId, name)));
    Map<String, List<StackChange>> byStack = new HashMap<>();
    changes.stream().filter(c -> c.at().isBefore(until)).sorted(Comparator.comparing(StackChange::at))
        .forEach(c -> byStack.computeIfAbsent(c.stackId(), id -> new ArrayList<>()).add(c));
    List<String> lines = new ArrayList<>();
    lines.add("stack,status,lastDriftCheck,kind,at,shown,delaySeconds");
    byStack.forEach((stackId, list) -> {
      List<Seen> history = Optional.ofNullable(owner.get(stackId)).map(seen::get).orElse(List.of());
      List<Kind> kinds = kinds(stackId, list);
      for (int i = 0; i < list.size(); i++) {
        StackChange c = list.get(i);
        Optional<Instant> shown = shown(stackId, list, i, history);
        lines.add(String.join(",", c.stackName(), c.status(), c.lastDriftCheck().map(Instant::toString).orElse(""),
            kinds.get(i).name(), c.at().toString(), shown.map(Instant::toString).orElse(""),
            shown.map(t -> String.format(Locale.ROOT, "%.1f", Duration.between(c.at(), t).toMillis() / 1000.0))
                .orElse("")));
      }
    });
    return lines;
  }

  /** When the last stack entered this status before {@code until}, if any did. */
  synchronized Optional<Instant> last(String status, Instant until) {
    return changes.stream().filter(c -> c.status().equals(status) && c.at().isBefore(until)).map(StackChange::at)
        .max(Comparator.naturalOrder());
  }

  /** How many changes before {@code until} the status has not shown yet. */
  synchronized int unshown(Instant until) {
    return (int) delays(until).values().stream().flatMap(List::stream).filter(Optional::isEmpty).count();
  }

  private static Figures figures(List<Optional<Duration>> delays) {
    List<Duration> d = delays.stream().flatMap(Optional::stream).sorted().toList();
    return new Figures(d.size(), percentile(d, 50), percentile(d, 99), d.isEmpty() ? Duration.ZERO
        : d.get(d.size() - 1), (int) delays.stream().filter(Optional::isEmpty).count());
  }

  /** For every change before {@code until}, by kind: how long until the status showed it (empty: it never did). */
  private Map<Kind, List<Optional<Duration>>> delays(Instant until) {
    Map<String, String> owner = new HashMap<>();
    seen.forEach((name, history) -> history.forEach(s -> owner.putIfAbsent(s.stackId, name)));
    Map<String, List<StackChange>> byStack = new HashMap<>();
    changes.stream().filter(c -> c.at().isBefore(until)).sorted(Comparator.comparing(StackChange::at))
        .forEach(c -> byStack.computeIfAbsent(c.stackId(), id -> new ArrayList<>()).add(c));
    Map<Kind, List<Optional<Duration>>> delays = new EnumMap<>(Kind.class);
    byStack.forEach((stackId, list) -> {
      List<Seen> history = Optional.ofNullable(owner.get(stackId)).map(seen::get).orElse(List.of());
      List<Kind> kinds = kinds(stackId, list);
      for (int i = 0; i < list.size(); i++) {
        Instant at = list.get(i).at();
        delays.computeIfAbsent(kinds.get(i), k -> new ArrayList<>())
            .add(shown(stackId, list, i, history).map(shown -> Duration.between(at, shown)));
      }
    });
    return delays;
  }

  /** The kind of each change of one stack, in order. */
  private List<Kind> kinds(String stackId, List<StackChange> list) {
    List<Mark> mine = marks.stream().filter(m -> m.stackId.equals(stackId)).toList();
    List<Kind> kinds = new ArrayList<>();
    boolean inUpdate = false;
    Mark update = null;
    for (int i = 0; i < list.size(); i++) {
      StackChange c = list.get(i);
      StackChange before = i == 0 ? null : list.get(i - 1);
      boolean driftOnly = before != null && before.status().equals(c.status())
          && !before.lastDriftCheck().equals(c.lastDriftCheck());
      Optional<Mark> deletion = mine.stream().filter(m -> m.deletion && !m.at.isAfter(c.at())).findFirst();
      Optional<Mark> started = mine.stream().filter(m -> !m.deletion && !m.at.isAfter(c.at())
          && (before == null || before.at().isBefore(m.at))).findFirst();
      if (down.stream().anyMatch(w -> !c.at().isBefore(w[0]) && c.at().isBefore(w[1]))) {
        kinds.add(Kind.RESTARTING);
      } else if (driftOnly) {
        kinds.add(Kind.STILL_DRIFT);
      } else if (deletion.isPresent() && c.status().startsWith("DELETE_")) {
        kinds.add(Kind.OUT_OF_BAND_DELETED);
      } else if (started.isPresent() && started.get() != update) {
        update = started.get();
        inUpdate = true;
        kinds.add(Kind.STILL_UPDATE_STARTED);
      } else if (inUpdate) {
        kinds.add(Kind.OUT_OF_BAND_UPDATE_ENDED);
        inUpdate = c.status().endsWith("_IN_PROGRESS");
      } else {
        kinds.add(c.at().isBefore(createPhaseEnd) ? Kind.MOVING_CREATE : Kind.MOVING_LATER);
      }
    }
    return kinds;
  }

  /**
   * When the status first showed change {@code i} or a later one: a status that, at or after the change, shows the
   * state of a change from {@code i} on that had already happened — or, once the stack was deleted, another stack.
   */
  private static Optional<Instant> shown(String stackId, List<StackChange> list, int i, List<Seen> history) {
    StackChange change = list.get(i);
    for (Seen s : history) {
      if (s.at.isBefore(change.at())) {
        continue;
      }
      if (!s.stackId.equals(stackId)) {
        boolean deletedBy = list.stream()
            .anyMatch(c -> c.status().equals("DELETE_COMPLETE") && !c.at().isAfter(s.at));
        if (deletedBy) {
          return Optional.of(s.at);
        }
        continue;
      }
      for (int j = i; j < list.size() && !list.get(j).at().isAfter(s.at); j++) {
        if (matches(s, list, j)) {
          return Optional.of(s.at);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean matches(Seen s, List<StackChange> list, int j) {
    StackChange c = list.get(j);
    if (!c.status().equals(s.status)) {
      return false;
    }
    boolean driftOnly = j > 0 && list.get(j - 1).status().equals(c.status())
        && !list.get(j - 1).lastDriftCheck().equals(c.lastDriftCheck());
    return !driftOnly || c.lastDriftCheck().map(Staleness::seconds).equals(Optional.ofNullable(s.lastCheck));
  }

  private static String seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Duration percentile(List<Duration> sorted, int p) {
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** The staleness table, in simulated time. */
  String table(Instant until) {
    StringBuilder out = new StringBuilder();
    out.append("| staleness (simulated): the simulator's change until the status shows it | changes | p50 | p99"
        + " | max | never shown |\n|---|---|---|---|---|---|\n");
    categories(until).forEach((category, f) -> row(out, "**" + category + "**", f));
    figures(until).forEach((kind, f) -> row(out, kind.label, f));
    return out.toString();
  }

  private static void row(StringBuilder out, String label, Figures f) {
    out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d |%n", label, f.count(), human(f.p50()),
        human(f.p99()), human(f.max()), f.notShown()));
  }

  private static String human(Duration d) {
    return d.toMinutes() > 0 ? String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart())
        : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
