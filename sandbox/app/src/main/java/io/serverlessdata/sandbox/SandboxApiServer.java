package io.serverlessdata.sandbox;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;

/**
 * A Kubernetes API server on 127.0.0.1 for the sandbox: the fabric8 mock server in CRUD mode behind a
 * {@link KubectlDispatcher}, plain HTTP, no authentication. It keeps objects in memory and enforces neither
 * schemas nor admission.
 */
public final class SandboxApiServer implements AutoCloseable {

  /** The mock web server logs every request at INFO through java.util.logging; held so that WARNING sticks. */
  private static final java.util.logging.Logger REQUEST_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;

  private SandboxApiServer(Clock clock) {
    REQUEST_LOG.setLevel(java.util.logging.Level.WARNING);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    KubernetesMockServer[] self = new KubernetesMockServer[1];
    KubectlDispatcher dispatcher = new KubectlDispatcher(new KubernetesCrudDispatcher(),
        () -> loopback.getHostAddress() + ":" + self[0].getPort(), clock);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    self[0] = server;
    server.init(loopback, 0);
  }

  /** Starts a server on a free port of 127.0.0.1. */
  public static SandboxApiServer start(Clock clock) {
    return new SandboxApiServer(clock);
  }

  /** The URL kubectl and clients use. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  /** A fabric8 client for this server (the caller closes it). */
  public NamespacedKubernetesClient createClient() {
    return server.createClient();
  }

  @Override
  public void close() {
    server.destroy();
  }
}
