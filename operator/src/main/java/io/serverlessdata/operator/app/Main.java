package io.serverlessdata.operator.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator's command line: {@code run} the operator, {@code render} a manifest offline. The sandbox is its own
 * jar (module {@code sandbox/app}).
 */
@Command(
    name = "serverless-data-stack-operator",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Drives AWS CloudFormation stacks for ServerlessDataStack resources.",
    subcommands = {RunCommand.class, RenderCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Without a command, runs the operator. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args.length == 0 ? new String[] {"run"} : args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"serverless-data-stack-operator " + (version == null ? "(development build)" : version)};
    }
  }
}
