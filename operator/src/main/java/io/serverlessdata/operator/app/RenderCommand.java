package io.serverlessdata.operator.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.api.Violation;
import io.serverlessdata.operator.template.RenderedStack;
import io.serverlessdata.operator.template.StackTemplate;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the CloudFormation template (or its parameters) for a manifest, offline. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the CloudFormation template that a ServerlessDataStack manifest turns into, without a cluster or AWS.",
        "An invalid manifest prints every violation and exits with 1."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:rendered", "1:the manifest is invalid", "2:wrong usage"})
public final class RenderCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format { json, yaml }

  static final int INVALID = 1;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "Manifest with one ServerlessDataStack (YAML or JSON); '-' reads standard input.")
  String file;

  @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--account-id", paramLabel = "ACCOUNT",
      description = {"The AWS account the stack would be in: the bucket's name carries it, as the operator renders it.",
          "Without it the template leaves it to CloudFormation (Fn::Sub of AWS::AccountId), which the operator never"
              + " sends: a retained bucket is imported only under a static name."})
  String accountId;

  @Option(names = "--parameters",
      description = {"Print the stack's name, parameter values, tags and hash instead of the template.",
          "The hash equals the resource's status.specHash when the manifest carries its metadata.uid (as"
              + " kubectl get sds NAME -o yaml prints it; the operator tags the stack with it) and --account-id"
              + " names the stack's account."})
  boolean parameters;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ResolvedSpec resolved;
    boolean hasUid;
    try (Reader reader = open()) {
      ServerlessDataStack resource = ManifestReader.read(reader);
      resolved = SpecResolver.resolve(resource);
      hasUid = resource.getMetadata() != null && resource.getMetadata().getUid() != null
          && !resource.getMetadata().getUid().isEmpty();
    } catch (NoSuchFileException e) {
      err.println("error: no such file: " + file);
      return INVALID;
    } catch (InvalidSpecException e) {
      err.println("error: the manifest is invalid:");
      for (Violation violation : e.violations()) {
        err.println("  - " + violation);
      }
      return INVALID;
    }
    resolved.settings().lambda().runtime().deprecationNotice(java.time.LocalDate.now(java.time.ZoneOffset.UTC))
        .ifPresent(notice -> err.println("warning: " + notice));

    if (accountId != null && !accountId.matches("\\d{12}")) {
      err.println("error: --account-id must be an AWS account id (12 digits), got '" + accountId + "'");
      return INVALID;
    }
    RenderedStack stack = StackTemplate.render(resolved.settings(), Optional.ofNullable(accountId));
    // the body exactly as the operator sends it (the table's and bucket's names filled in)
    Object document = new ObjectMapper().readTree(stack.templateBody());
    if (parameters) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("stackName", resolved.stackName());
      summary.put("parameters", stack.parameters());
      summary.put("tags", stack.tags());
      summary.put("hash", stack.hash());
      document = summary;
      // the operator tags the stack with the resource's uid, which a manifest written by hand does not have, and
      // names the bucket with the account it runs in
      List<String> missing = new ArrayList<>();
      if (!hasUid) {
        missing.add("the manifest's metadata.uid (the operator's " + SpecResolver.OWNER_UID_TAG + " tag)");
      }
      if (accountId == null) {
        missing.add("--account-id (the bucket's name)");
      }
      if (!missing.isEmpty()) {
        err.println("note: without " + String.join(" and ", missing) + " this hash is not the resource's"
            + " status.specHash; for that one: kubectl get sds NAME -o yaml | ... render -f - --parameters"
            + " --account-id ACCOUNT");
      }
    }
    out.print(mapper().writeValueAsString(document));
    if (format == Format.json) {
      out.println();
    }
    out.flush();
    return 0;
  }

  private ObjectMapper mapper() {
    if (format == Format.yaml) {
      return new ObjectMapper(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private Reader open() throws IOException {
    if ("-".equals(file)) {
      return new InputStreamReader(System.in, StandardCharsets.UTF_8);
    }
    return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
  }
}
