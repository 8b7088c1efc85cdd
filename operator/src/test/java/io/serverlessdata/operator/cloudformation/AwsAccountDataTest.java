package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.ManualClock;
import io.serverlessdata.simulator.Timings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The real STS client, through the adapter, against the simulator over HTTP. */
class AwsAccountDataTest {

  private final CloudFormationSimulator simulator = CloudFormationSimulator.start(
      new ManualClock(Instant.parse("2026-06-01T08:00:00Z")), Timings.defaults());
  private final AwsAccountData account = AwsAccountData.create(ClientSettings.defaults(Optional.of(simulator.endpoint()))
          .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator"))),
      Optional.of(simulator.endpoint()), Optional.of(simulator.endpoint()), Optional.of(simulator.endpoint()),
      service -> (operation, outcome) -> { });

  @AfterEach
  void stop() {
    account.close();
    simulator.close();
  }

  @Test
  void theFirstReconcilesAskingAtOnceCostOneGetCallerIdentity() throws Exception {
    int threads = 10; // the operator's default concurrency: every reconcile thread renders at start-up
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        answers.add(pool.submit(() -> {
          start.await();
          return account.accountId();
        }));
      }
      start.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<String> answer : answers) {
        ids.add(answer.get());
      }

      assertThat(ids).hasSize(threads).allSatisfy(id -> assertThat(id).matches("\\d{12}").isEqualTo(ids.get(0)));
      assertThat(account.accountId()).isEqualTo(ids.get(0));
      assertThat(simulator.callCounts()).containsEntry("GetCallerIdentity", 1);
    } finally {
      pool.shutdownNow();
    }
  }
}
