package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election with a {@code coordination.k8s.io} Lease, for more than one replica: only the leader reconciles,
 * the others keep their caches warm and take over when the lease expires. Remembers whether this replica leads.
 */
public final class LeaderElection {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  /**
   * Which Lease, who this replica is, and the timing of the election (fabric8's defaults unless a test needs them
   * shorter: a lease lasts 15 s, the leader renews within 10 s, candidates retry every 2 s).
   *
   * @param leaseName the Lease's name
   * @param leaseNamespace the Lease's namespace (the operator's own)
   * @param identity this replica's name in the Lease (the pod's name)
   * @param leaseDuration how long a lease lasts without renewal
   * @param renewDeadline how long the leader tries to renew before giving up
   * @param retryPeriod how often candidates and the leader act
   */
  public record Settings(String leaseName, String leaseNamespace, String identity, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod) {

    public Settings {
      require(leaseName, "lease name");
      require(leaseNamespace, "lease namespace");
      require(identity, "identity");
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
    }

    /** The Lease with fabric8's default timing. */
    public static Settings of(String leaseName, String leaseNamespace, String identity) {
      return new Settings(leaseName, leaseNamespace, identity, Duration.ofSeconds(15), Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
      return "lease " + leaseNamespace + "/" + leaseName + " as " + identity;
    }
  }

  private final Settings settings;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private volatile Runnable onLostLease = LeaderElection::exitOnLostLease;

  LeaderElection(Settings settings) {
    this.settings = settings;
  }

  private static String require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("leader election needs a " + what);
    }
    return value;
  }

  /**
   * Called before the operator stops on purpose (SIGTERM): giving up the lease then is expected. Losing it at any
   * other time ends the process, so that a fresh pod rejoins the election with empty caches.
   */
  public void shuttingDown() {
    shuttingDown.set(true);
  }

  /**
   * What to do instead of ending the process when the lease is lost unexpectedly (tests: their replicas share the
   * test's JVM). Set before the operator starts.
   */
  void onLostLease(Runnable action) {
    onLostLease = Objects.requireNonNull(action, "action");
  }

  public boolean leading() {
    return leading.get();
  }

  public String identity() {
    return settings.identity();
  }

  LeaderElectionConfiguration configuration() {
    String identity = settings.identity();
    String leaseNamespace = settings.leaseNamespace();
    String leaseName = settings.leaseName();
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
        .withLeaseNamespace(leaseNamespace)
        .withIdentity(identity)
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              leading.set(true);
              LOG.info("{} leads (lease {}/{})", identity, leaseNamespace, leaseName);
            },
            () -> {
              leading.set(false);
              if (shuttingDown.get()) {
                LOG.info("{} released the lease {}/{}", identity, leaseNamespace, leaseName);
              } else {
                LOG.error("{} lost the lease {}/{}; exiting so that the pod restarts", identity, leaseNamespace,
                    leaseName);
                onLostLease.run();
              }
            },
            leader -> LOG.info("leader is now {}", leader)))
        // JOSDK would exit on every loss of the lease, a deliberate shutdown included: a System.exit inside the
        // SIGTERM hook never returns. The callback above exits only on an unexpected loss.
        .withExitOnStopLeading(false)
        .build();
  }

  private static void exitOnLostLease() {
    Thread exit = new Thread(() -> System.exit(1), "lost-lease-exit");
    exit.start();
  }

  @Override
  public String toString() {
    return settings.toString();
  }
}
