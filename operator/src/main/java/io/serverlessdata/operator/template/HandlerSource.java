package io.serverlessdata.operator.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The request handler's source ({@code lambda/index.js}), packed into the operator at build time and
 * embedded in the template as the function's inline code.
 */
public final class HandlerSource {

  static final String RESOURCE = "/lambda/index.js";

  private static final String SOURCE = load();

  private HandlerSource() {}

  public static String get() {
    return SOURCE;
  }

  private static String load() {
    try (InputStream in = HandlerSource.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the operator's classpath: build it with Maven,"
            + " which copies lambda/index.js into the jar");
      }
      byte[] bytes = in.readAllBytes();
      if (bytes.length > Limits.MAX_INLINE_CODE_BYTES) {
        throw new IllegalStateException("lambda/index.js has " + bytes.length + " bytes; inline Lambda code"
            + " (Code.ZipFile) takes at most " + Limits.MAX_INLINE_CODE_BYTES);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
