package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
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

  private final String leaseName;
  private final String leaseNamespace;
  private final String identity;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();

  /**
   * @param leaseName the Lease's name
   * @param leaseNamespace the Lease's namespace (the operator's own)
   * @param identity this replica's name in the Lease (the pod's name)
   */
  public LeaderElection(String leaseName, String leaseNamespace, String identity) {
    this.leaseName = require(leaseName, "lease name");
    this.leaseNamespace = require(leaseNamespace, "lease namespace");
    this.identity = require(identity, "identity");
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

  public boolean leading() {
    return leading.get();
  }

  public String identity() {
    return identity;
  }

  LeaderElectionConfiguration configuration() {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
        .withLeaseNamespace(leaseNamespace)
        .withIdentity(identity)
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
                exitOnLostLease();
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
    return "lease " + leaseNamespace + "/" + leaseName + " as " + Objects.toString(identity);
  }
}
