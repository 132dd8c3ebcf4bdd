package io.herald.cli;

import io.herald.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code herald} command: one entry point for every Herald process. */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Health-aware, multi-provider notification dispatcher on Amazon SQS.",
        subcommands = {LocalCommand.class, ServeCommand.class, ApiCommand.class, PipelineCommand.class,
                MailprogCommand.class,
                TelegramBotCommand.class, ConfigCommand.class,
                PauseCommand.class, ResumeCommand.class,
                DlqCommand.class,
                QueuesCommand.class,
                SendTestCommand.class})
public final class Herald implements Runnable {

    /** Exit status for a configuration Herald refuses. */
    static final int EXIT_BAD_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Herald());
        giveEverySubcommandTheVersion(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException ce) {
                commandLine.getErr().println("herald: " + ce.getMessage());
                return EXIT_BAD_CONFIG;
            }
            if (e instanceof StartupException) {
                commandLine.getErr().println("herald: " + e.getMessage());
                return 1;
            }
            commandLine.getErr().println("herald: " + Services.rootMessage(e));
            return 1;
        });
        return cli;
    }

    /** `-V` on a subcommand printed nothing: picocli does not pass the version provider down by itself. */
    private static void giveEverySubcommandTheVersion(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(cli.getCommandSpec().versionProvider());
            giveEverySubcommandTheVersion(sub);
        }
    }
}
