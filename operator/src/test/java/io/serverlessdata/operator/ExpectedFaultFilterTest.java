package io.serverlessdata.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The test logging keeps every stack trace but those of faults the tests inject on purpose. */
class ExpectedFaultFilterTest {

  private static final String JOSDK = "io.javaoperatorsdk.operator.processing.event.EventProcessor";
  private final LoggerContext context = new LoggerContext();

  @Test
  void aBugInAReconcileKeepsItsStackTrace() {
    RuntimeException bug = new RuntimeException("wrapped", new NullPointerException("status is null"));

    assertThat(ExpectedFaultFilter.matches(event(JOSDK, Level.WARN, bug))).isFalse();
  }

  @Test
  void josdksErrorAfterTheLastRetryAndOtherLoggersKeepTheirStackTraces() {
    IllegalStateException closed = new IllegalStateException("Client already closed");

    assertThat(ExpectedFaultFilter.matches(event(JOSDK, Level.ERROR, closed))).isFalse();
    assertThat(ExpectedFaultFilter.matches(event("io.serverlessdata.operator.app.RunCommand", Level.WARN, closed)))
        .isFalse();
    assertThat(ExpectedFaultFilter.matches(event(JOSDK, Level.WARN, null))).isFalse();
  }

  @Test
  void aStatusPatchThatFoundTheClientClosedByTheTestIsExpected() {
    RuntimeException closed = new RuntimeException("patch failed", new IllegalStateException("Client already closed"));

    assertThat(ExpectedFaultFilter.matches(event("io.javaoperatorsdk.operator.processing.event.ReconciliationDispatcher",
        Level.WARN, closed))).isTrue();
  }

  @Test
  void aLeaseRenewalInterruptedByAStoppingReplicaIsExpectedAnyOtherLeaseFailureIsNot() {
    RuntimeException interrupted = new RuntimeException("Operation: [patch] for kind: [Lease] failed",
        new java.io.InterruptedIOException());
    RuntimeException forbidden = new RuntimeException("Operation: [patch] for kind: [Lease] failed: Forbidden");

    assertThat(ExpectedFaultFilter.matches(event(ExpectedFaultFilter.LEADER_ELECTOR, Level.WARN, interrupted)))
        .isTrue();
    assertThat(ExpectedFaultFilter.matches(event(ExpectedFaultFilter.LEADER_ELECTOR, Level.WARN, forbidden)))
        .isFalse();
  }

  @Test
  void theTestLoggingConfigurationLoadsWithoutAnErrorAndFiltersBothConsoleAppenders() {
    LoggerContext configured = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = configured.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    assertThat(configured.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getEffectiveLevel() >= Status.WARN);
    for (String name : List.of("STDERR", "STDERR_EXPECTED")) {
      assertThat(root.getAppender(name)).as(name).isNotNull();
      assertThat(root.getAppender(name).getCopyOfAttachedFiltersList()).as(name)
          .hasExactlyElementsOfTypes(ExpectedFaultFilter.class);
    }
  }

  @Test
  void anExpectedFaultIsPrintedWithItsMessageAndCausesButNoStackFrame() {
    LoggerContext configured = (LoggerContext) LoggerFactory.getILoggerFactory();
    ConsoleAppender<ILoggingEvent> expected = (ConsoleAppender<ILoggingEvent>) configured
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR_EXPECTED");
    RuntimeException closed;
    try {
      throw new RuntimeException("patch failed", new IllegalStateException("Client already closed"));
    } catch (RuntimeException e) {
      closed = e;
    }
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), configured.getLogger(JOSDK), Level.WARN,
        "Uncaught error during event processing {}", closed, new Object[] {"scope"});

    String printed = new String(expected.getEncoder().encode(event), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(printed).contains("Uncaught error during event processing scope (expected in tests: stack frames left"
        + " out)", "java.lang.RuntimeException: patch failed",
        "Caused by: java.lang.IllegalStateException: Client already closed").doesNotContain("\tat ");
  }

  private LoggingEvent event(String logger, Level level, Throwable thrown) {
    Logger log = context.getLogger(logger);
    return new LoggingEvent(Logger.class.getName(), log, level, "Uncaught error during event processing {}", thrown,
        new Object[] {"scope"});
  }
}
