package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfile cannot be built here (no Docker engine): its shape is checked instead. */
class DockerfileTest {

  private static final Path REPO = Path.of(System.getProperty("sds.repoRoot", ".."));

  @Test
  void buildStageRunsTheReadmeCommandAndTheFinalStageRunsAsANumericNonRootUserOnAJre() throws IOException {
    String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
    List<String> stages = stages(dockerfile);
    String build = stages.stream().filter(s -> s.contains(" AS build")).findFirst().orElseThrow();
    String last = stages.get(stages.size() - 1);

    assertThat(Files.readString(REPO.resolve("README.md"))).contains("mvn -B verify");
    assertThat(build).contains("RUN mvn -B verify");
    // what `mvn -B verify` needs besides Maven and the JDK: node/npm (handler tests, cfnspec) and kubectl (SandboxE2E)
    assertThat(build).contains("/usr/local/bin/node", "/usr/local/bin/npm", "/usr/local/bin/kubectl", "sha256sum -c");
    // the operator's jar, not the sandbox's (sandbox/app/target), goes into the image
    assertThat(build).contains("cp operator/target/serverless-data-stack-operator-").doesNotContain("sandbox/app");
    assertThat(last).startsWith("FROM eclipse-temurin:17-jre");
    Matcher user = Pattern.compile("(?m)^USER (\\d+)(:\\d+)?$").matcher(last);
    assertThat(user.find()).as("a numeric USER in the final stage").isTrue();
    assertThat(Integer.parseInt(user.group(1))).isPositive();
    assertThat(last).as("no build tools or sources in the final image")
        .doesNotContain("mvn", "npm", "node", "apt-get", "COPY . ")
        .contains("COPY --from=build")
        .contains("-XX:MaxRAMPercentage=")
        .contains("org.opencontainers.image.title");
  }

  private static List<String> stages(String dockerfile) {
    List<String> stages = new ArrayList<>();
    for (String part : dockerfile.split("(?m)^(?=FROM )")) {
      if (part.startsWith("FROM ")) {
        stages.add(part);
      }
    }
    return stages;
  }
}
