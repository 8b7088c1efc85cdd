package io.serverlessdata.operator.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.Violation;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a {@code ServerlessDataStack} from a YAML or JSON manifest, strictly: an unknown field or a value of
 * the wrong type is reported with its path, like {@code kubectl apply --validate=strict} would.
 */
final class ManifestReader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .findAndRegisterModules();
  private static final String API_VERSION = ServerlessDataStack.GROUP + "/" + ServerlessDataStack.VERSION;

  private ManifestReader() {}

  /**
   * The one {@code ServerlessDataStack} in the manifest (other kinds are skipped).
   *
   * @throws InvalidSpecException when the manifest holds none, several, or one that does not parse
   */
  static ServerlessDataStack read(Reader manifest) throws IOException, InvalidSpecException {
    List<JsonNode> stacks = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(manifest)) {
      for (var documents = YAML.readValues(parser, JsonNode.class); documents.hasNext(); ) {
        JsonNode document = documents.next();
        if (document != null && "ServerlessDataStack".equals(document.path("kind").asText())) {
          stacks.add(document);
        }
      }
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(List.of(new Violation("manifest", "is not valid YAML: " + e.getOriginalMessage())));
    }
    if (stacks.size() != 1) {
      throw new InvalidSpecException(List.of(new Violation("manifest",
          "must hold exactly one ServerlessDataStack, found " + stacks.size())));
    }
    JsonNode stack = stacks.get(0);
    if (!API_VERSION.equals(stack.path("apiVersion").asText())) {
      throw new InvalidSpecException(List.of(new Violation("apiVersion",
          "must be " + API_VERSION + ", got \"" + stack.path("apiVersion").asText() + "\"")));
    }
    try {
      return YAML.treeToValue(stack, ServerlessDataStack.class);
    } catch (JsonMappingException e) {
      throw new InvalidSpecException(List.of(describe(e)));
    }
  }

  private static Violation describe(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining()).replaceFirst("^\\.", "");
    if (e instanceof UnrecognizedPropertyException unknown) {
      return new Violation(path, "unknown field; known fields here: " + unknown.getKnownPropertyIds());
    }
    if (e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
      String allowed = Arrays.stream(invalid.getTargetType().getEnumConstants())
          .map(Object::toString).collect(Collectors.joining(", "));
      return new Violation(path, "unknown value \"" + invalid.getValue() + "\"; allowed: " + allowed);
    }
    if (e instanceof InvalidFormatException invalid) {
      return new Violation(path, "\"" + invalid.getValue() + "\" is not a valid "
          + invalid.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }
    return new Violation(path.isEmpty() ? "manifest" : path, e.getOriginalMessage());
  }
}
