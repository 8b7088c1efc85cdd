package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsResponse;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/** DescribeStackEvents as CloudFormation writes them: per resource, per operation, newest first, in pages. */
class StackEventsTest {

  private static final String STACK_TYPE = "AWS::CloudFormation::Stack";
  private final SimulatorFixture fixture = new SimulatorFixture();
  private final CloudFormationSimulator simulator = fixture.simulator;

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aCreateWritesTheStacksUserInitiatedEventThenEachResourcesEventsInDependencyOrder() {
    fixture.plan("orders", "create-1", ChangeSetType.CREATE, SimulatorFixture.template("Orders", 5), Map.of());
    fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("create-1").clientRequestToken("create-a"));
    fixture.advance(SimulatorFixture.TIMINGS.create());

    List<StackEvent> events = oldestFirst("orders");
    List<String> lines = lines(events);
    String table = fixture.describe("orders").outputs().get(0).outputValue();
    String topic = physicalId(events, "Topic");

    assertThat(lines).containsExactly(
        "orders REVIEW_IN_PROGRESS User Initiated",
        "orders CREATE_IN_PROGRESS User Initiated create-a",
        "Table  CREATE_IN_PROGRESS create-a",
        "Table " + table + " CREATE_IN_PROGRESS Resource creation Initiated create-a",
        "Table " + table + " CREATE_COMPLETE create-a",
        "Topic  CREATE_IN_PROGRESS create-a",
        line("Topic", topic, "CREATE_IN_PROGRESS", "Resource creation Initiated", "create-a"),
        line("Topic", topic, "CREATE_COMPLETE", null, "create-a"),
        "orders CREATE_COMPLETE create-a");
    assertThat(topic).startsWith("arn:aws:sns:us-east-1:123456789012:orders-Topic-");
    StackEvent tableComplete = events.get(4);
    assertThat(tableComplete.resourceType()).isEqualTo("AWS::DynamoDB::Table");
    assertThat(tableComplete.stackName()).isEqualTo("orders");
    assertThat(tableComplete.timestamp()).as("each resource takes its share of the create")
        .isEqualTo(SimulatorFixture.START.plus(Duration.ofSeconds(2 + 30)));
  }

  @Test
  void eventsAppearAsTheOperationGoesNotAllAtOnce() {
    fixture.plan("orders", "create-1", ChangeSetType.CREATE, SimulatorFixture.template("Orders", 5), Map.of());
    fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("create-1"));

    fixture.advance(Duration.ofSeconds(31));

    assertThat(fixture.client.describeStackEvents(r -> r.stackName("orders")).stackEvents().get(0))
        .satisfies(newest -> {
          assertThat(newest.logicalResourceId()).isEqualTo("Topic");
          assertThat(newest.resourceStatusReason()).isEqualTo("Resource creation Initiated");
        });
    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("CREATE_IN_PROGRESS");
  }

  @Test
  void twoFailedUpdatesLeaveBothOperationsEventsInOrderEachUnderItsOwnUserInitiatedEventAndToken() {
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    simulator.failResource("Table", "Resource handler returned message: \"first\"");
    fixture.update("orders", "update-1", SimulatorFixture.template("Orders", 6), "update-a");
    fixture.advance(SimulatorFixture.TIMINGS.rollback());
    simulator.failResource("Table", "Resource handler returned message: \"second\"");
    fixture.update("orders", "update-2", SimulatorFixture.template("Orders", 7), "update-b");
    fixture.advance(SimulatorFixture.TIMINGS.rollback());

    List<StackEvent> newestFirst = fixture.client.describeStackEvents(r -> r.stackName("orders")).stackEvents();
    List<StackEvent> current = new ArrayList<>();
    for (StackEvent event : newestFirst) {
      current.add(event);
      if (STACK_TYPE.equals(event.resourceType()) && "User Initiated".equals(event.resourceStatusReason())) {
        break;
      }
    }

    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(current).allSatisfy(e -> assertThat(e.clientRequestToken()).isEqualTo("update-b"));
    assertThat(current).filteredOn(e -> e.resourceStatusAsString().endsWith("_FAILED"))
        .singleElement().satisfies(e -> {
          assertThat(e.logicalResourceId()).isEqualTo("Table");
          assertThat(e.resourceStatusReason()).contains("second");
        });
    assertThat(lines(reversed(current))).containsExactly(
        "orders UPDATE_IN_PROGRESS User Initiated update-b",
        "Table orders-table UPDATE_IN_PROGRESS update-b",
        "Table orders-table UPDATE_FAILED Resource handler returned message: \"second\" update-b",
        "orders UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Table].  update-b",
        "Table orders-table UPDATE_IN_PROGRESS update-b",
        "Table orders-table UPDATE_COMPLETE update-b",
        "orders UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS update-b",
        "orders UPDATE_ROLLBACK_COMPLETE update-b");
    assertThat(newestFirst).filteredOn(e -> e.resourceStatusAsString().endsWith("_FAILED"))
        .extracting(StackEvent::clientRequestToken).containsExactly("update-b", "update-a");
  }

  @Test
  void aReplacementCreatesTheNewResourceThenDeletesTheOldOneInTheCleanup() {
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.update("orders", "rename-1", SimulatorFixture.template("Orders", 5)
        .replace("${AWS::StackName}-table", "${AWS::StackName}-table-v2"), "rename-a");

    List<String> lines = lines(oldestFirst("orders"));

    assertThat(lines.subList(lines.indexOf("orders UPDATE_IN_PROGRESS User Initiated rename-a"), lines.size()))
        .containsExactly(
            "orders UPDATE_IN_PROGRESS User Initiated rename-a",
            "Table orders-table UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource;"
                + " hence creating one. rename-a",
            "Table orders-table-v2 UPDATE_IN_PROGRESS Resource creation Initiated rename-a",
            "Table orders-table-v2 UPDATE_COMPLETE rename-a",
            "orders UPDATE_COMPLETE_CLEANUP_IN_PROGRESS rename-a",
            "Table orders-table DELETE_IN_PROGRESS rename-a",
            "Table orders-table DELETE_COMPLETE rename-a",
            "orders UPDATE_COMPLETE rename-a");
  }

  @Test
  void aDeleteWritesEachResourcesDeletionNewestFirstAndTheEventsStayReadableByTheStackId() {
    String id = fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.deleteAndWait("orders", "delete-a");

    List<StackEvent> events = oldestFirst(id);
    List<String> lines = lines(events);
    String topic = physicalId(events, "Topic");

    assertThat(lines.subList(lines.indexOf("orders DELETE_IN_PROGRESS User Initiated delete-a"), lines.size()))
        .containsExactly(
            "orders DELETE_IN_PROGRESS User Initiated delete-a",
            line("Topic", topic, "DELETE_IN_PROGRESS", null, "delete-a"),
            line("Topic", topic, "DELETE_COMPLETE", null, "delete-a"),
            "Table orders-table DELETE_IN_PROGRESS delete-a",
            "Table orders-table DELETE_COMPLETE delete-a",
            "orders DELETE_COMPLETE delete-a");
    assertThatThrownBy(() -> fixture.client.describeStackEvents(r -> r.stackName("orders")))
        .isInstanceOfSatisfying(CloudFormationException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Stack [orders] does not exist"));
  }

  @Test
  void eventsComeInPagesNewestFirstAndEventsWrittenBetweenPagesDoNotShiftTheNextPage() {
    simulator.stackEventsPageSize(4);
    fixture.create("orders", SimulatorFixture.template("Orders", 5));

    DescribeStackEventsResponse first = fixture.client.describeStackEvents(r -> r.stackName("orders"));
    fixture.client.deleteStack(r -> r.stackName("orders"));
    fixture.advance(Duration.ofSeconds(1));
    List<StackEvent> rest = new ArrayList<>();
    fixture.client.describeStackEventsPaginator(r -> r.stackName(first.stackEvents().get(0).stackId()))
        .stackEvents().forEach(rest::add);
    DescribeStackEventsResponse second = fixture.client.describeStackEvents(r -> r.stackName("orders")
        .nextToken(first.nextToken()));

    assertThat(first.stackEvents()).hasSize(4);
    assertThat(first.stackEvents().get(0).resourceStatusAsString()).isEqualTo("CREATE_COMPLETE");
    assertThat(second.stackEvents()).hasSize(4).first().satisfies(e -> assertThat(e.logicalResourceId())
        .isEqualTo("Table"));
    assertThat(second.stackEvents().get(0).resourceStatusAsString()).isEqualTo("CREATE_COMPLETE");
    assertThat(rest).hasSize(9 + 2).first().satisfies(e -> assertThat(e.resourceStatusAsString())
        .isEqualTo("DELETE_IN_PROGRESS"));
  }

  @Test
  void anUpdateThatSetsADriftedPropertyOverwritesTheOutOfBandChangeAndLeavesOtherDriftAlone() {
    String template = """
        {"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
          "TableName": "orders-table", "BillingMode": "PROVISIONED",
          "ProvisionedThroughput": {"ReadCapacityUnits": %d, "WriteCapacityUnits": 5}}}}}""";
    fixture.create("orders", template.formatted(5));
    simulator.driftProperty("orders", "Table", "ProvisionedThroughput.ReadCapacityUnits", Optional.of("9"));
    simulator.driftProperty("orders", "Table", "BillingMode", Optional.of("PAY_PER_REQUEST"));

    fixture.update("orders", "capacity-1", template.formatted(6), "capacity-a");
    fixture.client.detectStackDrift(r -> r.stackName("orders"));
    fixture.advance(SimulatorFixture.TIMINGS.driftDetection());

    assertThat(fixture.client.describeStackResourceDrifts(r -> r.stackName("orders")).stackResourceDrifts())
        .singleElement().satisfies(drift -> assertThat(drift.propertyDifferences()).singleElement()
            .satisfies(d -> assertThat(d.propertyPath()).isEqualTo("/BillingMode")));
  }

  private List<StackEvent> oldestFirst(String stack) {
    List<StackEvent> events = new ArrayList<>();
    fixture.client.describeStackEventsPaginator(r -> r.stackName(stack)).stackEvents().forEach(events::add);
    return reversed(events);
  }

  private static List<StackEvent> reversed(List<StackEvent> events) {
    List<StackEvent> copy = new ArrayList<>(events);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static String physicalId(List<StackEvent> events, String logicalId) {
    return events.stream().filter(e -> logicalId.equals(e.logicalResourceId()) && !e.physicalResourceId().isEmpty())
        .findFirst().orElseThrow().physicalResourceId();
  }

  private static List<String> lines(List<StackEvent> events) {
    return events.stream().map(e -> line(e.logicalResourceId(), e.physicalResourceId(), e.resourceStatusAsString(),
        e.resourceStatusReason(), e.clientRequestToken())).toList();
  }

  private static String line(String logicalId, String physicalId, String status, String reason, String token) {
    boolean stack = physicalId != null && physicalId.startsWith("arn:aws:cloudformation:");
    StringBuilder line = new StringBuilder(logicalId).append(' ');
    if (!stack) {
      line.append(physicalId == null ? "" : physicalId).append(' ');
    }
    line.append(status);
    if (reason != null) {
      line.append(' ').append(reason);
    }
    if (token != null) {
      line.append(' ').append(token);
    }
    return line.toString();
  }
}
