package io.serverlessdata.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The physical resources of the simulated account that outlive a stack operation's bookkeeping: every S3 bucket and
 * DynamoDB table (in a stack or not) and every resource a stack retained. Names are unique where AWS makes them
 * unique: a bucket name "must be unique across all AWS accounts in all the AWS Regions within a partition"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html), so a bucket of another account
 * takes its name from this one too; a table name "must be unique among those associated with the AWS Account
 * issuing the request, and the AWS region that receives the request" (DynamoDB CreateTable,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/API_CreateTable_v20111205.html). Requests are
 * serialised by the simulator; the DynamoDB and S3 routes read entries under its lock.
 */
final class AccountResources {

  static final String BUCKET = "AWS::S3::Bucket";
  static final String TABLE = "AWS::DynamoDB::Table";
  static final String OTHER_ACCOUNT = "210987654321";

  /**
   * A physical resource: its type, physical id (a bucket's or table's name), the account that owns it, its tags and
   * the stack and logical id it belongs to, if it belongs to one; {@code properties} are what it was created with.
   */
  static final class Entry {
    final String type;
    final String physicalId;
    final String account;
    final Instant created;
    final Map<String, Object> properties;
    Map<String, String> tags;
    Optional<String> stackId;
    Optional<String> logicalId;

    Entry(String type, String physicalId, String account, Instant created, Map<String, Object> properties,
        Map<String, String> tags, Optional<String> stackId, Optional<String> logicalId) {
      this.type = type;
      this.physicalId = physicalId;
      this.account = account;
      this.created = created;
      this.properties = Map.copyOf(properties);
      this.tags = new TreeMap<>(tags);
      this.stackId = stackId;
      this.logicalId = logicalId;
    }

    /** In this account and in no stack: kept by a deletion or rollback, or made outside CloudFormation. */
    boolean unmanaged() {
      return stackId.isEmpty() && SimulatedCloudFormation.ACCOUNT_ID.equals(account);
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Whether the simulator tracks resources of this type by name (and so refuses a second one). */
  static boolean named(String type) {
    return BUCKET.equals(type) || TABLE.equals(type);
  }

  /** The property that gives a bucket or table its custom name. */
  static String nameProperty(String type) {
    return BUCKET.equals(type) ? "BucketName" : "TableName";
  }

  Optional<Entry> find(String type, String physicalId) {
    return Optional.ofNullable(entries.get(key(type, physicalId)));
  }

  void put(Entry entry) {
    entries.put(key(entry.type, entry.physicalId), entry);
  }

  void remove(String type, String physicalId) {
    entries.remove(key(type, physicalId));
  }

  /** A resource of a stack is kept when the stack lets go of it: it stays, with its name and tags, in no stack. */
  void release(String type, String physicalId, Map<String, String> tags) {
    Entry entry = entries.computeIfAbsent(key(type, physicalId), k -> new Entry(type, physicalId,
        SimulatedCloudFormation.ACCOUNT_ID, Instant.EPOCH, Map.of(), tags, Optional.empty(), Optional.empty()));
    entry.stackId = Optional.empty();
    entry.logicalId = Optional.empty();
  }

  /** The resources of this account in no stack, in the order they were made or let go. */
  List<Entry> unmanaged() {
    List<Entry> found = new ArrayList<>();
    entries.values().stream().filter(Entry::unmanaged).forEach(found::add);
    return found;
  }

  private static String key(String type, String physicalId) {
    return type + " " + physicalId;
  }
}
