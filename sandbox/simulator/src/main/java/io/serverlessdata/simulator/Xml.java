package io.serverlessdata.simulator;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Writes CloudFormation's XML responses: {@code <ActionResponse><ActionResult>...</ActionResult>
 * <ResponseMetadata>...}, lists as {@code <member>} elements, and {@code <ErrorResponse>} for errors.
 */
final class Xml {

  static final String NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

  private final StringBuilder out = new StringBuilder();

  static String response(String action, String requestId, Consumer<Xml> result) {
    return response(NAMESPACE, action, requestId, result);
  }

  /** A Query-protocol response of another service (STS), in its namespace. */
  static String response(String namespace, String action, String requestId, Consumer<Xml> result) {
    Xml xml = new Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    xml.out.append('<').append(action).append("Response xmlns=\"").append(namespace).append("\">");
    xml.open(action + "Result");
    result.accept(xml);
    xml.close(action + "Result");
    xml.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
    xml.close(action + "Response");
    return xml.out.toString();
  }

  static String error(SimulatorException error, String requestId) {
    Xml xml = new Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    xml.out.append("<ErrorResponse xmlns=\"").append(NAMESPACE).append("\">");
    xml.open("Error")
        .element("Type", error.type())
        .element("Code", error.code())
        .element("Message", error.getMessage())
        .close("Error")
        .element("RequestId", requestId)
        .close("ErrorResponse");
    return xml.out.toString();
  }

  Xml open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /** An element with text; nothing when the value is {@code null}. Instants in ISO 8601 with milliseconds. */
  Xml element(String name, Object value) {
    if (value == null) {
      return this;
    }
    String text = value instanceof Instant instant
        ? DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS))
        : String.valueOf(value);
    return open(name).text(text).close(name);
  }

  /** {@code <name><member>...</member>...</name>}. */
  <T> Xml members(String name, Collection<T> items, BiConsumer<Xml, T> member) {
    open(name);
    for (T item : items) {
      open("member");
      member.accept(this, item);
      close("member");
    }
    return close(name);
  }

  /** Text content, escaped. */
  Xml text(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
    return this;
  }
}
