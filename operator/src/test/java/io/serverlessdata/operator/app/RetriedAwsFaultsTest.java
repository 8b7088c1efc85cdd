package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the log filter leaves alone: everything but JOSDK's WARN about a retried AWS fault (which {@code SandboxE2E}
 * sees rewritten into one line against the real operator and simulator), and that the operator's own logging
 * configuration installs it.
 */
class RetriedAwsFaultsTest {

  private final LoggerContext context = new LoggerContext();
  private final RetriedAwsFaults filter = new RetriedAwsFaults();

  @Test
  void aFailureThatIsNotAnAwsFaultKeepsJosdksWarningAndItsStackTrace() {
    Object[] params = {"ExecutionScope{resource=ResourceID{name='orders', namespace='default'}}",
        new IllegalStateException("a bug", new NullPointerException())};

    assertThat(filter.decide(null, context.getLogger(RetriedAwsFaults.JOSDK_EVENT_PROCESSOR), Level.WARN,
        "Uncaught error during event processing {} - but another reconciliation will be attempted", params, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(RetriedAwsFaults.retriedAwsFault((Throwable) params[1])).isEmpty();
  }

  @Test
  void josdksErrorAfterTheLastRetryAndOtherLoggersAreLeftAlone() {
    RuntimeException e = new RuntimeException("whatever");

    assertThat(filter.decide(null, context.getLogger(RetriedAwsFaults.JOSDK_EVENT_PROCESSOR), Level.ERROR,
        "Uncaught error during event processing {} - no superseding event is present", new Object[] {"s", e}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, context.getLogger("io.serverlessdata.operator"), Level.WARN, "x", null, e))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void theOperatorsLoggingConfigurationInstallsTheFilter() throws Exception {
    LoggerContext production = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(production);
    configurator.doConfigure(RetriedAwsFaults.class.getResource("/logback.xml"));

    assertThat(production.getTurboFilterList()).filteredOn(RetriedAwsFaults.class::isInstance).hasSize(1);
  }

  @Test
  void installingTheFilterTwiceInstallsItOnce() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

    RetriedAwsFaults.install();
    RetriedAwsFaults.install();

    assertThat(logback.getTurboFilterList()).filteredOn(RetriedAwsFaults.class::isInstance).hasSize(1);
  }
}
