package io.herald.cli;

import io.herald.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code herald} command: one entry point for every Herald process. */
@Command(
        name = "herald",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Health-aware, multi-provider notification dispatcher on Amazon SQS.",
        exitCodeListHeading = "%nExit codes (every command):%n",
        exitCodeList = {
            "0:success",
            "1:failure (one line on stderr says why)",
            "2:usage: an unknown option, a bad value, a missing command, or a configuration Herald refuses"
        },
        subcommands = {
            LocalCommand.class,
            ServeCommand.class,
            ApiCommand.class,
            PipelineCommand.class,
            MailprogCommand.class,
            TelegramBotCommand.class,
            ConfigCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            PrefsCommand.class,
            SuppressionsCommand.class,
            DlqCommand.class,
            QueuesCommand.class,
            SendTestCommand.class
        })
public final class Herald implements Runnable {

    /** Exit status for a command line Herald cannot use: an unknown option, a bad value, a missing command. */
    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    /** Exit status for a configuration Herald refuses: a usage error too, the command cannot run as told. */
    static final int EXIT_BAD_CONFIG = EXIT_USAGE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw missingSubcommand(spec);
    }

    /**
     * What a command that only groups others answers when run alone: a usage error (exit 2), as an unknown option is,
     * not a success.
     */
    static CommandLine.ParameterException missingSubcommand(CommandLine.Model.CommandSpec spec) {
        return new CommandLine.ParameterException(
                spec.commandLine(),
                "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** A bad value in the command line: exit 2 with one line, like picocli's own refusals. */
    static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String reason) {
        return new CommandLine.ParameterException(spec.commandLine(), reason);
    }

    /** The system property that names Jakarta Mail's StreamProvider, and Angus Mail's, which ships here. */
    private static final String MAIL_STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    public static void main(String[] args) {
        // Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader over every jar for each MIME part it
        // makes (jakartaee/mail-api#699, #861): ~0.7 ms of CPU per part, several per e-mail of the outbox and
        // SMTP providers. Named, it is a class lookup.
        if (System.getProperty(MAIL_STREAM_PROVIDER) == null) {
            System.setProperty(MAIL_STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Herald());
        giveEverySubcommandTheVersion(cli);
        // picocli prints the whole usage after a bad command line; one line saying what and where to look is enough.
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine.Model.CommandSpec where = e.getCommandLine().getCommandSpec();
            e.getCommandLine()
                    .getErr()
                    .println("herald: " + e.getMessage() + " (see `" + where.qualifiedName() + " --help`)");
            e.getCommandLine().getErr().flush();
            return EXIT_USAGE;
        });
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
