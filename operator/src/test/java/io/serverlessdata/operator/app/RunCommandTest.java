package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  @Test
  void defaultsServeTheEndpointsOn8080WithoutLeaderElection() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs();
    assertThat(run.healthPort).isEqualTo(8080);
    assertThat(run.leaderElection).isFalse();
    assertThat(run.leaseName).isEqualTo("serverless-data-stack-operator");
    // the nested default (SDS_LEASE_NAMESPACE, else POD_NAMESPACE) resolves, it is not taken literally
    assertThat(run.leaseNamespace).doesNotContain("${").isEqualTo(System.getenv().getOrDefault(
        "SDS_LEASE_NAMESPACE", System.getenv().getOrDefault("POD_NAMESPACE", "")));
  }

  @Test
  void leaderElectionIsAFlagOrAValue() {
    RunCommand flag = new RunCommand();
    new CommandLine(flag).parseArgs("--leader-election", "--lease-namespace", "sds-system");
    assertThat(flag.leaderElection).isTrue();
    assertThat(flag.leaseNamespace).isEqualTo("sds-system");

    RunCommand value = new RunCommand();
    new CommandLine(value).parseArgs("--leader-election=false");
    assertThat(value.leaderElection).isFalse();
  }

  @Test
  void aDriftIntervalBelowTheMinimumIsRefusedNamingTheFlag() {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new RunCommand()).setErr(new java.io.PrintWriter(err));

    assertThat(cli.execute("--drift-interval-minutes", "3")).isEqualTo(2);
    assertThat(err.toString()).contains("--drift-interval-minutes (SDS_DRIFT_INTERVAL_MINUTES) must be a whole number"
        + " of minutes, at least 5, got '3'");
  }
}
