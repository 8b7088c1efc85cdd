package io.serverlessdata.operator.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serverlessdata.operator.template.cfn.Template;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stack is driven to: the template, its parameter values and the stack's tags, with a hash of all
 * three. The same settings always give the same bytes and the same hash.
 *
 * @param template the template model
 * @param templateBody the template as sent to CloudFormation (compact JSON)
 * @param parameters parameter name to value, sorted
 * @param tags stack tags, sorted
 * @param hash hex SHA-256 of template body, parameters and tags
 */
public record RenderedStack(
    Template template, String templateBody, Map<String, String> parameters, Map<String, String> tags, String hash) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static RenderedStack of(Template template, Map<String, String> parameters, Map<String, String> tags) {
    return of(template, template.toJson(), parameters, tags);
  }

  /** With the template's body serialised already (templates are shared by stacks of the same shape). */
  static RenderedStack of(Template template, String body, Map<String, String> parameters, Map<String, String> tags) {
    Map<String, String> sortedParameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    Map<String, String> sortedTags = Collections.unmodifiableMap(new TreeMap<>(tags));
    return new RenderedStack(template, body, sortedParameters, sortedTags, hash(body, sortedParameters, sortedTags));
  }

  /** Size of the template body in bytes, against CloudFormation's inline limit. */
  public int templateBytes() {
    return templateBody.getBytes(StandardCharsets.UTF_8).length;
  }

  static String hash(String body, Map<String, String> parameters, Map<String, String> tags) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("template", body);
    all.put("parameters", parameters);
    all.put("tags", tags);
    try {
      // the string form, not Jackson's UTF-8 stream: they escape some characters differently, and the hash of a
      // spec must not change between operator versions (it would re-plan every stack)
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(JSON.writeValueAsString(all).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
