package io.serverlessdata.simulator;

import static io.serverlessdata.simulator.SimulatedCloudFormation.ACCOUNT_ID;
import static io.serverlessdata.simulator.SimulatedCloudFormation.REGION;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Plausible physical ids and attributes for simulated resources: the name the template gives a resource
 * when it gives one, AWS-shaped generated ids otherwise (a REST API's {@code a1b2c3d4e5}, a distribution's
 * {@code E2QWRUHAPOMQZL}), ARNs in account {@value SimulatedCloudFormation#ACCOUNT_ID}.
 */
final class PhysicalIds {

  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  /** The property that holds a resource's given name, where it is not {@code <ShortType>Name}. */
  private static final Map<String, String> NAME_PROPERTIES = Map.of(
      "AWS::ApiGateway::Model", "Name",
      "AWS::ApiGateway::Stage", "StageName",
      "AWS::KMS::Alias", "AliasName");

  private PhysicalIds() {}

  /**
   * A new resource's physical id.
   *
   * @param properties the resource's resolved properties
   * @param random the stack's source of generated ids
   */
  static String create(String stackName, String logicalId, String type, Map<String, Object> properties, Random random) {
    String nameProperty = NAME_PROPERTIES.getOrDefault(type, Replacements.shortName(type) + "Name");
    String name = properties.get(nameProperty) instanceof String given ? given
        : generatedName(stackName, logicalId, type, random);
    return "AWS::SNS::Topic".equals(type) ? "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":" + name : name;
  }

  /** An attribute ({@code Fn::GetAtt}) of a resource with the given physical id. */
  static String attribute(String type, String physicalId, String attribute) {
    String service = type.split("::")[1].toLowerCase(Locale.ROOT);
    return switch (attribute) {
      case "Arn" -> switch (type) {
        case "AWS::S3::Bucket" -> "arn:aws:s3:::" + physicalId;
        case "AWS::DynamoDB::Table" -> arn("dynamodb", "table/" + physicalId);
        case "AWS::Lambda::Function" -> arn("lambda", "function:" + physicalId);
        case "AWS::Logs::LogGroup" -> arn("logs", "log-group:" + physicalId + ":*");
        case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT_ID + ":role/" + physicalId;
        case "AWS::SNS::Topic" -> physicalId;
        default -> arn(service, Replacements.shortName(type).toLowerCase(Locale.ROOT) + "/" + physicalId);
      };
      case "DomainName" -> "AWS::CloudFront::Distribution".equals(type)
          ? "d" + derived(physicalId, attribute, 13, LOWER) + ".cloudfront.net"
          : physicalId + "." + service + ".amazonaws.com";
      case "RegionalDomainName" -> physicalId + "." + service + "." + REGION + ".amazonaws.com";
      case "Id" -> physicalId;
      case "TopicName" -> physicalId.substring(physicalId.lastIndexOf(':') + 1);
      default -> derived(physicalId, attribute, 10, LOWER);
    };
  }

  private static String generatedName(String stackName, String logicalId, String type, Random random) {
    if (type.startsWith("AWS::ApiGateway::")) {
      return random(random, 10, LOWER);
    }
    if (type.startsWith("AWS::CloudFront::")) {
      return "E" + random(random, 13, UPPER);
    }
    String name = stackName + "-" + logicalId + "-" + random(random, 12, UPPER);
    return "AWS::S3::Bucket".equals(type) ? name.toLowerCase(Locale.ROOT) : name;
  }

  private static String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT_ID + ":" + resource;
  }

  private static String random(Random random, int length, String alphabet) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  /** A value that looks random but is the same every time for the same resource and attribute. */
  private static String derived(String physicalId, String attribute, int length, String alphabet) {
    UUID seed = UUID.nameUUIDFromBytes((physicalId + "/" + attribute).getBytes(StandardCharsets.UTF_8));
    return random(new Random(seed.getMostSignificantBits() ^ seed.getLeastSignificantBits()), length, alphabet);
  }
}
