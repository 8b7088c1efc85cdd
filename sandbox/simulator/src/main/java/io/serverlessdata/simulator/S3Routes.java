package io.serverlessdata.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3's {@code GetBucketTagging} ({@code GET /{bucket}?tagging}, path-style addressing) for the account's buckets,
 * in S3's REST-XML protocol
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html): the
 * {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...} document; {@code NoSuchTagSet} (404) for a bucket without
 * tags, {@code NoSuchBucket} (404) when there is none, {@code AccessDenied} (403) for another account's bucket;
 * errors as S3's {@code <Error><Code/><Message/>...} document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 * Anything else S3 is answered {@code NotImplemented} (501). Requests are counted by operation and use up the
 * simulator's armed throttling ({@code SlowDown}, 503) and failures ({@code InternalError}, 500).
 */
final class S3Routes {

  private static final Logger LOG = LoggerFactory.getLogger(S3Routes.class);
  private static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private final CloudFormationSimulator simulator;

  S3Routes(CloudFormationSimulator simulator) {
    this.simulator = simulator;
  }

  void exchange(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    String bucket = URLDecoder.decode(path.substring(1).split("/", 2)[0], StandardCharsets.UTF_8);
    int status = 200;
    String body;
    try {
      body = answer(exchange, bucket);
    } catch (SimulatorException e) {
      status = e.httpStatus();
      StringBuilder error = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>")
          .append(e.code()).append("</Code><Message>").append(escape(e.getMessage())).append("</Message>");
      if (!bucket.isEmpty()) {
        error.append("<BucketName>").append(escape(bucket)).append("</BucketName>");
      }
      body = error.append("<RequestId>").append(requestId).append("</RequestId><HostId>simulator</HostId></Error>")
          .toString();
    } catch (RuntimeException e) {
      LOG.error("simulator failed on an S3 request", e);
      status = 500;
      body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code><Message>"
          + escape(String.valueOf(e)) + "</Message></Error>";
    }
    exchange.getResponseHeaders().add("x-amz-request-id", requestId);
    exchange.getResponseHeaders().add("x-amz-id-2", "simulator");
    HttpResponses.send(exchange, status, "application/xml", requestId, body);
  }

  private String answer(HttpExchange exchange, String bucket) {
    String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    boolean tagging = Arrays.stream(query.split("&")).anyMatch(p -> p.equals("tagging") || p.startsWith("tagging="));
    boolean getBucketTagging = "GET".equals(exchange.getRequestMethod()) && tagging && !bucket.isEmpty()
        && exchange.getRequestURI().getRawPath().substring(1).split("/", 2).length == 1;
    String operation = getBucketTagging ? "GetBucketTagging" : "S3 " + exchange.getRequestMethod();
    Optional<String> fault = simulator.count(operation);
    if (fault.filter("throttle"::equals).isPresent()) {
      throw new SimulatorException("SlowDown", 503, "Please reduce your request rate.");
    }
    if (fault.isPresent()) {
      throw new SimulatorException("InternalError", 500, "We encountered an internal error. Please try again.");
    }
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      throw new SimulatorException("AccessDenied", 403, "Access Denied");
    }
    if (!getBucketTagging) {
      throw new SimulatorException("NotImplemented", 501, "A header you provided implies functionality that is not"
          + " implemented (the simulator answers only GetBucketTagging: GET /{bucket}?tagging, path-style)");
    }
    AccountResources.Entry found = simulator.physicalResource(AccountResources.BUCKET, bucket).orElseThrow(
        () -> new SimulatorException("NoSuchBucket", 404, "The specified bucket does not exist"));
    if (!SimulatedCloudFormation.ACCOUNT_ID.equals(found.account)) {
      throw new SimulatorException("AccessDenied", 403, "Access Denied");
    }
    if (found.tags.isEmpty()) {
      throw new SimulatorException("NoSuchTagSet", 404, "The TagSet does not exist");
    }
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging xmlns=\"")
        .append(NAMESPACE).append("\"><TagSet>");
    found.tags.forEach((key, value) -> xml.append("<Tag><Key>").append(escape(key)).append("</Key><Value>")
        .append(escape(value)).append("</Value></Tag>"));
    return xml.append("</TagSet></Tagging>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
