package io.serverlessdata.operator.cloudformation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of ListStacks.
 *
 * @param stacks the summaries on this page
 * @param nextToken where the next page starts; empty on the last
 */
public record StackPage(List<StackSummary> stacks, Optional<String> nextToken) {

  public StackPage {
    stacks = List.copyOf(stacks);
    Objects.requireNonNull(nextToken, "nextToken");
  }
}
