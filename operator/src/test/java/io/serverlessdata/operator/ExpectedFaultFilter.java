package io.serverlessdata.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.filter.AbstractMatcherFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.serverlessdata.operator.cloudformation.StackOperationException;

/**
 * For the tests' logging ({@code logback-test.xml}): matches JOSDK's WARN about a reconcile that failed on an AWS
 * fault, which the tests inject on purpose (throttling, 5xx, rejected calls from the simulator) and JOSDK retries,
 * its WARN about a status patch that found the client closed (a test stopping its operator in the middle of a
 * reconcile), and fabric8's WARN about a lease renewal that stopping a replica interrupted (the leader-election
 * tests' hand-overs). The test configuration prints those without stack frames (the message and one header line per cause)
 * and everything else as it comes: a failure of any other kind (a bug), and JOSDK's ERROR once the retries are used
 * up, keep their stack traces, and a test's own appender still receives every event whole.
 */
public final class ExpectedFaultFilter extends AbstractMatcherFilter<ILoggingEvent> {

  /** fabric8's leader election, which logs a renewal that a replica's stop interrupts at WARN with its trace. */
  static final String LEADER_ELECTOR = "io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (!isStarted()) {
      return FilterReply.NEUTRAL;
    }
    return matches(event) ? onMatch : onMismatch;
  }

  static boolean matches(ILoggingEvent event) {
    if (event.getLevel() != Level.WARN) {
      return false;
    }
    if (LEADER_ELECTOR.equals(event.getLoggerName())) {
      return interrupted(event.getThrowableProxy());
    }
    if (!event.getLoggerName().startsWith("io.javaoperatorsdk.")) {
      return false;
    }
    for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ThrowableProxy proxy && proxy.getThrowable() instanceof StackOperationException) {
        return true;
      }
      if (IllegalStateException.class.getName().equals(cause.getClassName())
          && "Client already closed".equals(cause.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** A lease renewal cut short by stopping the replica (a test's hand-over): the cause chain ends interrupted. */
  private static boolean interrupted(IThrowableProxy thrown) {
    for (IThrowableProxy cause = thrown; cause != null; cause = cause.getCause()) {
      if (InterruptedException.class.getName().equals(cause.getClassName())
          || java.io.InterruptedIOException.class.getName().equals(cause.getClassName())) {
        return true;
      }
    }
    return false;
  }
}
