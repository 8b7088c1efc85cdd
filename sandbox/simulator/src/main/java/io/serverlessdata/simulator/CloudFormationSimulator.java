package io.serverlessdata.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CloudFormation endpoint on 127.0.0.1 that speaks the AWS Query protocol (form-encoded POST, XML answers in
 * CloudFormation's namespace, {@code <ErrorResponse>} errors with AWS's codes and HTTP statuses), so the real
 * AWS SDK client can be pointed at it with an endpoint override. The same port answers API Gateway's
 * {@code GetApiKey} ({@code GET /apikeys/{id}}, REST-JSON, see {@link ApiGatewayRoutes}) for the stacks' API keys,
 * DynamoDB's {@code ListTagsOfResource} and {@code DescribeTable} (JSON 1.0, {@code X-Amz-Target}, see
 * {@link DynamoDbRoutes}) and S3's {@code GetBucketTagging} (path-style {@code GET /{bucket}?tagging}, see
 * {@link S3Routes}) for the account's tables and buckets, retained ones included, and STS's
 * {@code GetCallerIdentity} (the account's id).
 *
 * <p>Stacks move through their lifecycle on the given {@link Clock} (see {@link SimulatedStack}); tests
 * advance a manual clock, the sandbox runs on the system clock with {@link Timings#quick()}. Faults are armed
 * with setters and used up by the calls or operations they hit. Every request is counted by action, retries
 * included, so that tests can see retries and catch hot loops.
 */
public final class CloudFormationSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CloudFormationSimulator.class);
  private static final String VERSION = "2010-05-15";
  private static final String STS_VERSION = "2011-06-15";
  private static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  /**
   * The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body then
   * waits for the client's delayed ACK, about 40 ms per call. Read once, when the JDK's first server starts.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final Faults faults = new Faults();
  private final SimulatedCloudFormation cloudFormation;
  private final Map<String, Integer> calls = new TreeMap<>();
  private final ApiGatewayRoutes apiGateway = new ApiGatewayRoutes(this);
  private final DynamoDbRoutes dynamoDb = new DynamoDbRoutes(this);
  private final S3Routes s3 = new S3Routes(this);
  private final Clock clock;
  private AccountRateLimit accountLimit;
  private int throttledCalls;
  private long throttledByLimit;
  private int failingCalls;
  private final Map<String, Integer> failingActions = new TreeMap<>();

  private CloudFormationSimulator(Clock clock, Timings timings) throws IOException {
    this.clock = clock;
    this.accountLimit = AccountRateLimit.unlimited(clock);
    cloudFormation = new SimulatedCloudFormation(clock, timings, faults);
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::exchange);
    server.createContext(ApiGatewayRoutes.API_KEYS, exchange -> apiGateway.exchange(exchange));
    server.start();
  }

  /** Starts a simulator on a free port of 127.0.0.1. */
  public static CloudFormationSimulator start(Clock clock, Timings timings) {
    try {
      return new CloudFormationSimulator(clock, timings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the CloudFormation simulator", e);
    }
  }

  /** Where to point the SDK's {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * How many stack summaries a ListStacks page (and a DescribeStacks page without a stack name) holds: 100 as on
   * AWS unless a test that pages wants fewer.
   */
  public synchronized void listStacksPageSize(int size) {
    cloudFormation.listStacksPageSize(size);
  }

  /**
   * How many stacks (not deleted) the account may hold: 2,000 as on AWS unless raised, as an account owner raises it
   * through Service Quotas; a CreateChangeSet for a new stack beyond it is refused with {@code LimitExceededException}.
   */
  public synchronized void stackQuota(int quota) {
    cloudFormation.stackQuota(quota);
  }

  /** How many events a DescribeStackEvents page holds: 100 as on AWS unless a test that pages wants fewer. */
  public synchronized void stackEventsPageSize(int size) {
    cloudFormation.eventsPageSize(size);
  }

  /**
   * Tells the listener of every change of a stack that ListStacks shows — each status a stack enters, each drift
   * detection that finishes — with the simulated time it took effect (replacing an earlier listener). The listener is
   * called while the simulator answers a request: it must be quick and must not call the simulator.
   */
  public synchronized void onStackChange(Consumer<StackChange> listener) {
    cloudFormation.onStackChange(Objects.requireNonNull(listener, "listener"));
  }

  /** The next {@code count} calls, of any action, are throttled ({@code Throttling}, HTTP 400). */
  public synchronized void throttleNext(int count) {
    throttledCalls = count;
  }

  /**
   * The account's API rate limit, as CloudFormation enforces it: requests beyond {@code callsPerSecond} (with
   * {@code burst} allowed at once after a quiet spell), measured on the simulator's clock, are answered with
   * {@code Throttling} (HTTP 400), as are any other action's.
   */
  public synchronized void limitRate(double callsPerSecond, int burst) {
    accountLimit = AccountRateLimit.perSecond(callsPerSecond, burst, clock);
  }

  /** Requests refused with {@code Throttling} because they exceeded the rate limit of {@link #limitRate}. */
  public synchronized long throttledByRateLimit() {
    return throttledByLimit;
  }

  /** The next {@code count} calls, of any action, fail with {@code InternalFailure}, HTTP 500. */
  public synchronized void failNext(int count) {
    failingCalls = count;
  }

  /**
   * The next {@code count} requests of one action fail with {@code InternalFailure}, HTTP 500, as a service
   * degraded for one API does; the others are answered.
   */
  public synchronized void failAction(String action, int count) {
    failingActions.put(action, count);
  }

  /**
   * The next create or update that touches this resource fails on it ({@code CREATE_FAILED} or
   * {@code UPDATE_FAILED} with the reason), and the stack rolls back.
   */
  public synchronized void failResource(String logicalId, String reason) {
    faults.failResource(logicalId, reason);
  }

  /**
   * The next create or update of this stack that touches this resource fails on it, like
   * {@link #failResource(String, String)} but for one stack only.
   */
  public synchronized void failResource(String stackName, String logicalId, String reason) {
    faults.failResource(stackName, logicalId, reason);
  }

  /** Whether a stack of this name exists and is not deleted. */
  public synchronized boolean hasStack(String stackName) {
    return cloudFormation.exists(stackName);
  }

  /** The next rollback fails: {@code ROLLBACK_FAILED} after a create, {@code UPDATE_ROLLBACK_FAILED} after an update. */
  public synchronized void failNextRollback() {
    faults.failNextRollback();
  }

  /** The next DeleteStack of a stack with this resource ends in {@code DELETE_FAILED}. */
  public synchronized void failNextDelete(String logicalId, String reason) {
    faults.failNextDelete(logicalId, reason);
  }

  /** Someone deletes the stack outside the operator: it is gone at once. */
  public synchronized void deleteOutOfBand(String stackName) {
    cloudFormation.deleteOutOfBand(stackName);
  }

  /**
   * Someone changes a property of one of a stack's resources in the console: the next drift detection reports
   * it as {@code MODIFIED}, until an update replaces the resource or a {@code REVERT_DRIFT} change set puts it back.
   *
   * @param path the property, {@code ProvisionedThroughput.ReadCapacityUnits} or
   *     {@code /ProvisionedThroughput/ReadCapacityUnits}
   * @param actual its new value as text ({@code 7}, {@code Enabled}, JSON for objects); empty removes the property
   * @throws IllegalArgumentException when there is no such stack or resource
   */
  public synchronized void driftProperty(String stackName, String logicalId, String path, Optional<String> actual) {
    cloudFormation.modifyOutOfBand(stackName, logicalId, path, actual);
  }

  /** Someone deletes one of a stack's resources outside CloudFormation: the next detection reports it {@code DELETED}. */
  public synchronized void deleteResource(String stackName, String logicalId) {
    cloudFormation.deleteResourceOutOfBand(stackName, logicalId);
  }

  /** The next drift detection started ends in {@code DETECTION_FAILED} with this reason. */
  public synchronized void failNextDriftDetection(String reason) {
    faults.failNextDriftDetection(reason);
  }

  /** The {@code DeploymentMode}s of the change sets planned for a stack, in order; plain ones are not listed. */
  public synchronized List<String> deploymentModes(String stackName) {
    return cloudFormation.deploymentModes(stackName);
  }

  /**
   * Replaces the API key of a stack as if its key resource had been recreated: a new id (the {@code ApiKeyId}
   * output changes on the next DescribeStacks) and a new value; GetApiKey no longer finds the old one.
   */
  public synchronized void rotateApiKey(String stackName) {
    cloudFormation.rotateApiKeys(stackName);
  }

  /** The value API Gateway holds for a key id, if the key belongs to a live stack: what tests compare with. */
  public synchronized Optional<String> apiKeyValue(String apiKeyId) {
    return cloudFormation.apiKey(apiKeyId).map(ApiKey::value);
  }

  /**
   * Change sets created since the start; a repeated CreateChangeSet (a retry with the same client token) that
   * finds the change set it created is not counted, unlike in {@link #calls}.
   */
  public synchronized int changeSetsCreated() {
    return cloudFormation.changeSetsCreated();
  }

  /** Requests received for one action, retries included. */
  public synchronized int calls(String action) {
    return calls.getOrDefault(action, 0);
  }

  /** Requests received per action, retries included. */
  public synchronized Map<String, Integer> callCounts() {
    return Map.copyOf(calls);
  }

  public synchronized void resetCalls() {
    calls.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void exchange(HttpExchange exchange) {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (target != null && target.startsWith(DynamoDbRoutes.TARGET_PREFIX)) {
        dynamoDb.exchange(exchange, target);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getRawPath())) {
        s3.exchange(exchange);
        return;
      }
      String requestId = UUID.randomUUID().toString();
      int status = 200;
      String body;
      try {
        body = answer(exchange);
      } catch (SimulatorException e) {
        status = e.httpStatus();
        body = Xml.error(e, requestId);
      } catch (RuntimeException e) {
        LOG.error("simulator failed on a request", e);
        status = 500;
        body = Xml.error(new SimulatorException("InternalFailure", 500, String.valueOf(e)), requestId);
      }
      HttpResponses.send(exchange, status, "text/xml", requestId, body);
    } catch (IOException e) {
      LOG.debug("client went away", e);
    }
  }

  private synchronized String answer(HttpExchange exchange) throws IOException {
    QueryRequest request = QueryRequest.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String action = request.action();
    Optional<String> fault = count(action);
    if (fault.filter("throttle"::equals).isPresent()) {
      throw new SimulatorException("Throttling", 400, "Rate exceeded");
    }
    if (fault.isPresent()) {
      throw new SimulatorException("InternalFailure", 500,
          "The request processing has failed because of an unknown error, exception or failure.");
    }
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      throw new SimulatorException("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
    }
    if ("GetCallerIdentity".equals(action) && STS_VERSION.equals(request.optional("Version").orElse(""))) {
      // STS GetCallerIdentity (API_GetCallerIdentity.html, STS API reference): who the caller is, with the
      // account's id; it needs no permission
      return Xml.response(STS_NAMESPACE, action, UUID.randomUUID().toString(), xml -> xml
          .element("Arn", "arn:aws:sts::" + SimulatedCloudFormation.ACCOUNT_ID + ":assumed-role/sds-operator/simulated")
          .element("UserId", "AROASIMULATEDOPERATOR:simulated")
          .element("Account", SimulatedCloudFormation.ACCOUNT_ID));
    }
    if (!SimulatedCloudFormation.supports(action) || !VERSION.equals(request.optional("Version").orElse(""))) {
      throw new SimulatorException("InvalidAction", 400,
          "Could not find operation " + action + " for version " + request.optional("Version").orElse(""));
    }
    return cloudFormation.handle(request);
  }

  /**
   * Counts a request of any API and uses up an armed fault: {@code throttle} or {@code fail}, if one is armed.
   */
  synchronized Optional<String> count(String action) {
    calls.merge(action, 1, Integer::sum);
    if (throttledCalls > 0) {
      throttledCalls--;
      return Optional.of("throttle");
    }
    if (!accountLimit.tryAcquire()) {
      throttledByLimit++;
      return Optional.of("throttle");
    }
    if (failingCalls > 0) {
      failingCalls--;
      return Optional.of("fail");
    }
    if (failingActions.getOrDefault(action, 0) > 0) {
      failingActions.merge(action, -1, Integer::sum);
      return Optional.of("fail");
    }
    return Optional.empty();
  }

  /** A table or bucket of the account (in a stack, retained, or foreign), as DynamoDB and S3 answer for it. */
  synchronized Optional<AccountResources.Entry> physicalResource(String type, String physicalId) {
    return cloudFormation.account().find(type, physicalId);
  }

  /**
   * The resources of the account that belong to no stack: those a DeletionPolicy ({@code Retain},
   * {@code RetainExceptOnCreate}) or UpdateReplacePolicy kept, with the tags their stack gave them, and those made
   * with {@link #createForeignTable}/{@link #createForeignBucket}; oldest first.
   */
  public synchronized List<RetainedResource> retainedResources() {
    return cloudFormation.account().unmanaged().stream()
        .map(e -> new RetainedResource(e.type, e.physicalId, e.tags)).toList();
  }

  /** Someone makes a DynamoDB table outside CloudFormation, in this account, with these tags. */
  public synchronized void createForeignTable(String name, Map<String, String> tags) {
    createForeign(AccountResources.TABLE, name, SimulatedCloudFormation.ACCOUNT_ID, tags);
  }

  /** Someone makes an S3 bucket outside CloudFormation, in this account, with these tags. */
  public synchronized void createForeignBucket(String name, Map<String, String> tags) {
    createForeign(AccountResources.BUCKET, name, SimulatedCloudFormation.ACCOUNT_ID, tags);
  }

  /**
   * Another AWS account owns a bucket of this name: bucket names are global, so no stack here can create it (nor
   * import it), and GetBucketTagging is denied.
   */
  public synchronized void createOtherAccountsBucket(String name) {
    createForeign(AccountResources.BUCKET, name, AccountResources.OTHER_ACCOUNT, Map.of());
  }

  /**
   * Someone deletes a table or bucket that belongs to no stack (a retained or foreign one).
   *
   * @param type {@code AWS::DynamoDB::Table} or {@code AWS::S3::Bucket}
   * @throws IllegalArgumentException when there is no such resource outside a stack
   */
  public synchronized void deleteRetained(String type, String physicalId) {
    AccountResources account = cloudFormation.account();
    account.find(type, physicalId).filter(AccountResources.Entry::unmanaged).orElseThrow(
        () -> new IllegalArgumentException("no " + type + " " + physicalId + " outside a stack"));
    account.remove(type, physicalId);
  }

  private void createForeign(String type, String name, String owner, Map<String, String> tags) {
    AccountResources account = cloudFormation.account();
    if (account.find(type, name).isPresent()) {
      throw new IllegalArgumentException(type + " " + name + " already exists");
    }
    account.put(new AccountResources.Entry(type, name, owner, clock.instant(), Map.of(), tags, Optional.empty(),
        Optional.empty()));
  }

  synchronized Optional<ApiKey> apiKey(String id) {
    return cloudFormation.apiKey(id);
  }
}
