package io.serverlessdata.operator.api;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Validating a spec and filling in its defaults, in operations per second on one thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpecResolverBenchmark {

  private ServerlessDataStack resource;

  @Setup
  public void resource() {
    resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("team-a").withUid("uid-1").build());
    resource.setSpec(new ServerlessDataStackSpec("orders-prod", 10, 5, "ops@example.com", null, null, null, null,
        null, null, null, null, null, null, null, null));
  }

  @Benchmark
  public ResolvedSpec validate() throws InvalidSpecException {
    return SpecResolver.resolve(resource);
  }
}
