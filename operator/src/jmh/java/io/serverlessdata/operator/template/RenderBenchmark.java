package io.serverlessdata.operator.template;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.template.cfn.Template;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a reconcile spends on the template, in operations per second on one thread: the full render (parts,
 * model, JSON, hash), the JSON serialisation alone, and the hash alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RenderBenchmark {

  private StackSettings settings;
  private Template template;
  private RenderedStack rendered;

  @Setup
  public void resolve() throws InvalidSpecException {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("team-a").withUid("uid-1").build());
    resource.setSpec(new ServerlessDataStackSpec("orders-prod", 10, 5, "ops@example.com", null, null, null, null,
        null, null, null, null, null, null, null, null));
    settings = SpecResolver.resolve(resource).settings();
    rendered = StackTemplate.render(settings);
    template = rendered.template();
  }

  /** Settings to template, body and hash: what the reconciler does when the spec changes. */
  @Benchmark
  public RenderedStack render() {
    return StackTemplate.render(settings);
  }

  /** The template model to its compact, canonical JSON. */
  @Benchmark
  public String serialize() {
    return template.toJson();
  }

  /** SHA-256 over body, parameters and tags. */
  @Benchmark
  public String hash() {
    return RenderedStack.hash(rendered.templateBody(), rendered.parameters(), rendered.tags());
  }
}
