package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.cfn.ResourceTypes.CLOUDFRONT_DISTRIBUTION;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.CLOUDFRONT_OAC;

import io.serverlessdata.operator.template.cfn.Fn;
import io.serverlessdata.operator.template.cfn.Resource;
import java.util.List;
import java.util.Map;

/**
 * The way out: a CloudFront distribution serving the bucket over HTTPS through an origin access control
 * (not the legacy origin access identity). Only this distribution may read the bucket.
 */
final class Delivery {

  /** AWS's managed "CachingOptimized" cache policy. */
  static final String CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
  private static final String ORIGIN_ID = "processed-data";

  final Resource distribution;
  private final Resource accessControl;

  Delivery(StackParameters p, Storage storage) {
    accessControl = new Resource("ProcessedDataOriginAccessControl", CLOUDFRONT_OAC)
        .set("OriginAccessControlConfig", Map.of(
            "Name", Fn.sub("${Prefix}-processed-data", "Prefix", p.prefix),
            "Description", "CloudFront reads the processed-data bucket",
            "OriginAccessControlOriginType", "s3",
            "SigningBehavior", "always",
            "SigningProtocol", "sigv4"));
    distribution = new Resource("ProcessedDataDistribution", CLOUDFRONT_DISTRIBUTION)
        .set("DistributionConfig", Map.of(
            "Enabled", true,
            "Comment", Fn.sub("${Prefix} processed data", "Prefix", p.prefix),
            "PriceClass", "PriceClass_100",
            "HttpVersion", "http2and3",
            "Origins", List.of(Map.of(
                "Id", ORIGIN_ID,
                "DomainName", storage.bucket.getAtt("RegionalDomainName"),
                "OriginAccessControlId", accessControl.getAtt("Id"),
                // an empty identity: access goes through the origin access control
                "S3OriginConfig", Map.of("OriginAccessIdentity", ""))),
            "DefaultCacheBehavior", Map.of(
                "TargetOriginId", ORIGIN_ID,
                "ViewerProtocolPolicy", "redirect-to-https",
                "AllowedMethods", List.of("GET", "HEAD"),
                "CachedMethods", List.of("GET", "HEAD"),
                "CachePolicyId", CACHING_OPTIMIZED_POLICY_ID,
                "Compress", true)));
  }

  /** The bucket-policy statement that lets this distribution, and nothing else, read objects. */
  Map<String, Object> readAccess(Storage storage) {
    return Iam.statement("CloudFrontReadsObjects", "Allow", Iam.service("cloudfront.amazonaws.com"),
        List.of("s3:GetObject"), List.of(storage.objectsArn("")),
        Map.of("StringEquals", Map.of("AWS:SourceArn", Fn.sub(
            "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}",
            "Distribution", distribution))));
  }

  Object url() {
    return Fn.sub("https://${Domain}", "Domain", distribution.getAtt("DomainName"));
  }

  List<Resource> resources() {
    return List.of(accessControl, distribution);
  }
}
