package io.serverlessdata.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code kubectl get sds} examples in the README and {@code docs/} show the columns in the order the CRD's
 * printer columns give them: a table header names exactly the CRD's columns (the wide ones too when it shows
 * one), and a note on {@code -o wide} names the wide columns in their order.
 */
class DocumentedColumnsTest {

  private static final Path REPO = Path.of(System.getProperty("sds.repoRoot", ".."));
  /** A header kubectl prints: NAME (after NAMESPACE with -A) and the columns. */
  private static final Pattern HEADER = Pattern.compile("^\\s*(?:#\\s*)?(?:NAMESPACE\\s+)?NAME\\s+(STACK-STATUS\\b.*)$");

  @Test
  void everyTableHeaderInTheDocsHasTheCrdsColumnsInTheirOrder() throws IOException {
    List<String> headers = new ArrayList<>();
    for (Path doc : docs()) {
      for (String line : Files.readAllLines(doc)) {
        Matcher header = HEADER.matcher(line.replaceFirst("^.*#\\s*(?=NAME\\b)", ""));
        if (header.matches()) {
          List<String> shown = Arrays.asList(header.group(1).trim().split("\\s+"));
          assertThat(shown).as("%s: %s", REPO.relativize(doc), line)
              .isEqualTo(shown.contains("ENDPOINT") || shown.contains("ARN") ? columns(true) : columns(false));
          headers.add(line);
        }
      }
    }
    assertThat(headers).as("the docs show kubectl get's header somewhere").isNotEmpty();
  }

  @Test
  void everyNoteOnTheWideOutputNamesItsColumnsInTheirOrder() throws IOException {
    List<String> wide = columns(true).stream().filter(c -> !columns(false).contains(c)).toList();
    for (Path doc : docs()) {
      for (String line : Files.readAllLines(doc)) {
        if (line.contains("-o wide") && wide.stream().allMatch(line::contains)) {
          List<Integer> at = wide.stream().map(line::indexOf).toList();
          assertThat(at).as("%s: %s names %s in another order", REPO.relativize(doc), line, wide).isSorted();
        }
      }
    }
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> files = Files.walk(REPO.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The CRD's printer columns in order; the wide ones (priority 1) only when asked. */
  private static List<String> columns(boolean wide) {
    try {
      List<String> columns = new ArrayList<>();
      new ObjectMapper(new YAMLFactory()).readTree(CustomResourceDefinitionTest.COMMITTED.toFile()).path("spec")
          .path("versions").get(0).path("additionalPrinterColumns").forEach(c -> {
            if (wide || c.path("priority").asInt(0) == 0) {
              columns.add(c.path("name").asText());
            }
          });
      return columns;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
