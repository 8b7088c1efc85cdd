package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeSetTest {

  @ParameterizedTest(name = "{0}/{2} is {3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "CREATE_PENDING     | -                                                                      | UNAVAILABLE         | PENDING",
      "CREATE_IN_PROGRESS | -                                                                      | UNAVAILABLE         | PENDING",
      "CREATE_COMPLETE    | -                                                                      | AVAILABLE           | READY",
      "CREATE_COMPLETE    | -                                                                      | EXECUTE_IN_PROGRESS | EXECUTING",
      "CREATE_COMPLETE    | -                                                                      | EXECUTE_COMPLETE    | EXECUTED",
      "CREATE_COMPLETE    | -                                                                      | EXECUTE_FAILED      | EXECUTION_FAILED",
      "CREATE_COMPLETE    | -                                                                      | OBSOLETE            | UNAVAILABLE",
      "FAILED             | The submitted information didn't contain changes. Submit different information to create a change set. | UNAVAILABLE | NO_CHANGES",
      "FAILED             | No updates are to be performed.                                        | UNAVAILABLE         | NO_CHANGES",
      "FAILED             | Template format error: Unresolved resource dependencies [X]             | UNAVAILABLE         | FAILED",
  })
  void stateFollowsStatusExecutionStatusAndReason(String status, String reason, String execution, ChangeSet.State state) {
    ChangeSet changeSet = new ChangeSet("s", "arn:s", "c", "arn:c", status, Optional.ofNullable(reason), execution,
        List.of());

    assertThat(changeSet.state()).isEqualTo(state);
    assertThat(changeSet.noChanges()).isEqualTo(state == ChangeSet.State.NO_CHANGES);
  }

  @Test
  void replacementIsReadFromTheChange() {
    assertThat(new Change(Change.MODIFY, "T", "AWS::DynamoDB::Table", Optional.of("True")).replaces()).isTrue();
    assertThat(new Change(Change.MODIFY, "T", "AWS::DynamoDB::Table", Optional.of("Conditional")))
        .returns(false, Change::replaces).returns(true, Change::mayReplace);
    assertThat(new Change(Change.MODIFY, "T", "AWS::DynamoDB::Table", Optional.of("False")).mayReplace()).isFalse();
    assertThat(new Change(Change.REMOVE, "T", "AWS::DynamoDB::Table", Optional.empty()).removes()).isTrue();
  }
}
