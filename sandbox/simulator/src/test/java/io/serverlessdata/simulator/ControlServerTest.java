package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sandbox's control endpoint for the account's resources outside any stack. */
class ControlServerTest {

  private final CloudFormationSimulator simulator =
      CloudFormationSimulator.start(new ManualClock(Instant.parse("2026-06-01T08:00:00Z")), Timings.defaults());
  private final ControlServer control = ControlServer.start(simulator);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    control.close();
    simulator.close();
  }

  @Test
  void foreignTablesAndBucketsAreMadeAndListedWithTheirTags() throws Exception {
    HttpResponse<String> table = post("foreign-table", "name=shared-table&tags=owner%3Dteam-b,env%3Dprod");
    HttpResponse<String> bucket = post("foreign-bucket", "name=shared-bucket&tags=");
    HttpResponse<String> badTags = post("foreign-table", "name=other&tags=owner");

    assertThat(table.statusCode()).isEqualTo(200);
    assertThat(bucket.statusCode()).isEqualTo(200);
    assertThat(badTags.statusCode()).isEqualTo(400);
    assertThat(badTags.body()).contains("key=value");
    assertThat(simulator.retainedResources()).containsExactly(
        new RetainedResource("AWS::DynamoDB::Table", "shared-table", Map.of("owner", "team-b", "env", "prod")),
        new RetainedResource("AWS::S3::Bucket", "shared-bucket", Map.of()));
    assertThat(post("retained", "").body()).isEqualTo(
        "AWS::DynamoDB::Table shared-table {env=prod, owner=team-b}\nAWS::S3::Bucket shared-bucket {}\n");
  }

  private HttpResponse<String> post(String action, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control.port() + "/simulate/" + action))
        .header(ControlServer.TOKEN_HEADER, control.token())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
