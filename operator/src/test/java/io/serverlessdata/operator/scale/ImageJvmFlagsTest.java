package io.serverlessdata.operator.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The scale run starts its operator with the image's JVM flags (docs/performance.md, "The scale run"). */
class ImageJvmFlagsTest {

  @Test
  void theRunTakesTheImagesFlagsButItsOwnHeap() throws IOException {
    Path dockerfile = Path.of(System.getProperty("sds.repoRoot", ".."), "Dockerfile");

    assertThat(ScaleRun.imageJvmFlags(dockerfile))
        .containsExactly("-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-XX:+UseStringDeduplication");
  }
}
