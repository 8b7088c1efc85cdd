package io.serverlessdata.operator.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The spec hash keeps its definition, so that an operator upgrade does not re-plan every stack. */
class RenderedStackHashTest {

  @Test
  void theHashIsSha256OfTheUtf8JsonOfTemplateParametersAndTags() throws Exception {
    String body = "{\"Description\":\"caf\u00e9 \u2192 \\\"quoted\\\"\\n\ttab \uD83D\uDE80\"}";
    Map<String, String> parameters = new TreeMap<>(Map.of("ResourcePrefix", "orders-prod", "AlertEmail", "ops@example.com"));
    Map<String, String> tags = new TreeMap<>(Map.of("Environment", "Produktion \u00fc"));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("template", body);
    all.put("parameters", parameters);
    all.put("tags", tags);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(new ObjectMapper().writeValueAsString(all).getBytes(StandardCharsets.UTF_8)));

    assertThat(RenderedStack.hash(body, parameters, tags)).isEqualTo(expected);
  }
}
