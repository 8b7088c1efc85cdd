package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.TemplateJson.getAtt;
import static io.serverlessdata.operator.template.TemplateJson.json;
import static io.serverlessdata.operator.template.TemplateJson.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryTest {

  private final TemplateJson defaults = TemplateJson.of(TestSettings.defaults());

  @Test
  void distributionReadsTheBucketThroughAnOriginAccessControl() {
    JsonNode oac = defaults.props("ProcessedDataOriginAccessControl").path("OriginAccessControlConfig");
    assertThat(oac.path("OriginAccessControlOriginType").asText()).isEqualTo("s3");
    assertThat(oac.path("SigningBehavior").asText()).isEqualTo("always");
    assertThat(oac.path("SigningProtocol").asText()).isEqualTo("sigv4");

    JsonNode origin = defaults.props("ProcessedDataDistribution").path("DistributionConfig").path("Origins").path(0);
    assertThat(origin.path("DomainName")).isEqualTo(getAtt("ProcessedDataBucket", "RegionalDomainName"));
    assertThat(origin.path("OriginAccessControlId")).isEqualTo(getAtt("ProcessedDataOriginAccessControl", "Id"));
    assertThat(origin.path("S3OriginConfig").path("OriginAccessIdentity").asText()).isEmpty();
    assertThat(defaults.idsOfType("AWS::CloudFront::CloudFrontOriginAccessIdentity")).isEmpty();
  }

  @Test
  void distributionServesOnlyHttpsGetAndHeadFromTheCheapestPriceClass() {
    JsonNode config = defaults.props("ProcessedDataDistribution").path("DistributionConfig");
    JsonNode behavior = config.path("DefaultCacheBehavior");

    assertThat(behavior.path("ViewerProtocolPolicy").asText()).isIn("redirect-to-https", "https-only");
    assertThat(texts(behavior.path("AllowedMethods"))).containsExactly("GET", "HEAD");
    assertThat(texts(behavior.path("CachedMethods"))).containsExactly("GET", "HEAD");
    assertThat(behavior.path("CachePolicyId").asText()).isEqualTo(Delivery.CACHING_OPTIMIZED_POLICY_ID);
    assertThat(behavior.path("TargetOriginId")).isEqualTo(config.path("Origins").path(0).path("Id"));
    assertThat(config.path("PriceClass").asText()).isEqualTo("PriceClass_100");
    assertThat(config.path("Enabled").asBoolean()).isTrue();
  }

  @Test
  void cloudFrontUrlIsAnOutput() {
    JsonNode url = defaults.root.path("Outputs").path("CloudFrontUrl").path("Value");

    assertThat(url).isEqualTo(json(java.util.Map.of("Fn::Sub", List.of("https://${Domain}",
        java.util.Map.of("Domain", getAtt("ProcessedDataDistribution", "DomainName"))))));
  }
}
