package io.serverlessdata.operator.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * The operator's log shows an AWS fault that is retried (throttling, a 5xx: {@link StackOperationException} with
 * {@link StackOperationException#retryable()}) as one WARN line with AWS's error code and the operation, instead of
 * JOSDK's WARN "Uncaught error during event processing ... another retry attempt is pending" with a 50-line stack
 * trace: such a fault is not an error of the operator, which reports it on the resource (condition
 * {@code ACK.Recoverable}, Warning event {@code AwsError}) and retries with backoff.
 *
 * <p>Only that one JOSDK message is rewritten. Every other failure keeps its stack trace: a fault that is not
 * retryable (e.g. {@code ValidationError}), one that is not AWS's (a bug), and JOSDK's ERROR once the retries are
 * used up. The operator's {@code logback.xml} declares it, so {@code run} and the sandbox log alike.
 */
public final class RetriedAwsFaults extends TurboFilter {

  /** The logger of JOSDK's retry-aware error logging ({@code EventProcessor.retryAwareErrorLogging}). */
  public static final String JOSDK_EVENT_PROCESSOR = "io.javaoperatorsdk.operator.processing.event.EventProcessor";
  /** Where the one line goes. */
  public static final String LOGGER = RetriedAwsFaults.class.getName();
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LOGGER);

  /**
   * Adds the filter to logback's context (once), for a configuration other than the operator's {@code logback.xml}
   * (a test's); does nothing when logback is not the SLF4J binding.
   */
  public static void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(RetriedAwsFaults.class::isInstance)) {
      RetriedAwsFaults filter = new RetriedAwsFaults();
      filter.setName("retried-aws-faults");
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !JOSDK_EVENT_PROCESSOR.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    Optional<StackOperationException> fault = retriedAwsFault(thrown(params, t));
    if (fault.isEmpty()) {
      return FilterReply.NEUTRAL;
    }
    // JOSDK puts the resource into the MDC while it handles the reconcile's outcome (MDCUtils)
    String namespace = MDC.get("resource.namespace");
    String name = MDC.get("resource.name");
    LOG.warn("{}{}: AWS {} on {} ({}); the operator retries with backoff", namespace == null ? "" : namespace + "/",
        name == null ? "?" : name, fault.get().errorCode(), fault.get().operation(), fault.get().getMessage());
    return FilterReply.DENY;
  }

  /** SLF4J passes the throwable of {@code warn(format, arg, throwable)} as the last parameter. */
  private static Throwable thrown(Object[] params, Throwable t) {
    if (t != null) {
      return t;
    }
    if (params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
      return last;
    }
    return null;
  }

  /** A retryable AWS fault in the cause chain (JOSDK's metrics wrap the reconciler's exception). */
  static Optional<StackOperationException> retriedAwsFault(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof StackOperationException aws) {
        return aws.retryable() ? Optional.of(aws) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
