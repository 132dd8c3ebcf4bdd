package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.preferences.UserStores;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.mailprog.Mailprog;
import io.herald.mailprog.forward.EnvelopeSink;
import io.herald.mailprog.forward.Forwarder;
import io.herald.mailprog.forward.ForwarderDaemon;
import io.herald.mailprog.forward.ForwarderMetrics;
import io.herald.mailprog.forward.PassObserver;
import io.herald.mailprog.forward.PassResult;
import io.herald.mailprog.forward.SqsSink;
import io.herald.mailprog.spool.Spool;
import io.herald.mailprog.spool.SpoolSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@Command(
        name = "mailprog",
        mixinStandardHelpOptions = true,
        description = {
            "The Slurm side: herald-mailprog (slurm.conf MailProg) spools each job event in milliseconds;",
            "these commands turn the spool into notifications on SQS (mailprog.* keys configure them).",
            "Users write: sbatch --mail-type=ALL --mail-user=\"mailto:a@b.org,SCHEME:TARGET,carol\""
        },
        subcommands = {
            MailprogCommand.Forward.class,
            MailprogCommand.Flush.class,
            MailprogCommand.RetryFailed.class,
            MailprogCommand.InstallShim.class
        })
final class MailprogCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Herald.missingSubcommand(spec);
    }

    /** The configuration with a goslmailer config merged in when mailprog.goslmailerConfig names one. */
    static HeraldConfig load(ConfigOption option) {
        HeraldConfig config = option.load();
        try {
            // The logger is looked up only when there is a note: a static one would set up logging (some 300
            // classes, an XML parse) in every command, `herald --version` included, since picocli builds them all.
            return Mailprog.withGoslmailer(
                    config,
                    note -> LoggerFactory.getLogger(MailprogCommand.class).info("{}", note));
        } catch (IllegalArgumentException e) {
            throw new StartupException("mailprog.goslmailerConfig ("
                    + ConfigLoader.environmentVariable("mailprog.goslmailerConfig") + "): " + e.getMessage());
        }
    }

    /** A client of the status table when users' preferences are on (mailprog.preferences.enabled). */
    static Optional<DynamoDbClient> preferencesClient(HeraldConfig cfg) {
        return cfg.mailprog().preferences().enabled()
                ? Optional.of(DynamoDbClients.create(cfg.status()))
                : Optional.empty();
    }

    /** Users' preferences, linked chats and recent jobs, when preferences are on (a client was made for them). */
    static Optional<UserStores> userStores(HeraldConfig cfg, Optional<DynamoDbClient> dynamo) {
        return dynamo.map(d ->
                UserStores.inStatusTable(d, cfg.status().table(), cfg.status().ttl()));
    }

    /** The forwarder as configured, with users' stores when preferences are on. */
    static Forwarder forwarder(HeraldConfig cfg, EnvelopeSink sink, Optional<DynamoDbClient> dynamo) {
        return userStores(cfg, dynamo)
                .map(u -> Mailprog.forwarder(cfg, sink, Clock.systemUTC(), u))
                .orElseGet(() -> Mailprog.forwarder(cfg, sink, Clock.systemUTC()));
    }

    /** --local for the forwarder: SQS and queues of the running ./herald local, found through its state file. */
    static final class LocalStackOption {

        @Option(
                names = "--local",
                description = {
                    "Send to the `./herald local` running on this machine: its SQS "
                            + "endpoint and queues come from the state file it writes (local.stateFile; default "
                            + "/tmp/herald-local-<user>.json). Fails with one line when none is running."
                })
        boolean local;

        HeraldConfig apply(HeraldConfig config) {
            return local ? LocalStackState.find(config.local()).applyTo(config) : config;
        }
    }

    @Command(
            name = "forward",
            mixinStandardHelpOptions = true,
            description = {
                "Run the forwarder: watch mailprog.spoolDir and put one envelope per receiver on SQS.",
                "A spool record is removed once SQS has acknowledged all of it. While SQS does not take",
                "notifications (unreachable, a queue missing, access denied, throttling) records wait in new/",
                "and are retried with backoff (mailprog.retryMin doubling to retryMax); only a record that can",
                "never be sent (unreadable, no usable receiver, refused by SQS for its content) moves to",
                "failed/ with a .reason file. With mailprog.preferences.enabled a bare --mail-user follows the",
                "job owner's preferences in the status table (`herald prefs`); while they cannot be read, the",
                "owner's records wait in new/. Runs until stopped (Ctrl-C, SIGTERM).",
                "With mailprog.metricsTextfileDir set, writes herald_mailprog.prom there after every pass for",
                "node_exporter's textfile collector (spool backlog, records forwarded, failed, set aside)."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:stopped on request",
                "1:could not start (one line says why)",
                "2:bad usage or configuration"
            })
    static final class Forward implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Mixin
        LocalStackOption target;

        @Override
        public Integer call() throws Exception {
            HeraldConfig cfg = target.apply(load(config));
            SqsClient sqs = SqsClients.create(cfg.sqs());
            Optional<DynamoDbClient> dynamo = preferencesClient(cfg);
            Forwarder forwarder =
                    forwarder(cfg, new SqsSink(sqs, cfg.sqs(), new SqsProducer(sqs, new EnvelopeCodec())), dynamo);
            Spool spool = new Spool(Path.of(cfg.mailprog().spoolDir()));
            PassObserver observer = PassObserver.none();
            String textfileDir = cfg.mailprog().metricsTextfileDir();
            if (textfileDir != null && !textfileDir.isBlank()) {
                ForwarderMetrics metrics = new ForwarderMetrics(spool, Path.of(textfileDir), Clock.systemUTC());
                metrics.write();
                observer = metrics;
            }
            ForwarderDaemon daemon = new ForwarderDaemon(
                            forwarder, spool.incoming(), cfg.mailprog().scanInterval(), observer)
                    .start();
            System.out.println(
                    "Herald mailprog forwarder watching " + cfg.mailprog().spoolDir() + ", sending to "
                            + String.join(", ", cfg.sqs().queues())
                            + (target.local ? " at " + cfg.sqs().endpoint() + " (./herald local)" : ""));
            Services.runUntilStopped("mailprog forwarder", () -> {
                daemon.close();
                sqs.close();
                dynamo.ifPresent(DynamoDbClient::close);
            });
            return 0;
        }
    }

    @Command(
            name = "flush",
            mixinStandardHelpOptions = true,
            description = {
                "One forwarder pass, then exit (for cron): send what is in the spool, folding what is over",
                "a user's cap into digests now. What came in a user's quiet hours or for their hourly/daily",
                "digest goes, once that time has come, as one digest per user and kind (to the receivers each",
                "notification had); until then it stays in the spool. The exit code says how it went (below);",
                "when several apply, the lowest non-zero one wins."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:every record was sent (or there was none)",
                "1:the pass could not run or not finish (spool unreadable, a record could not be moved, a crash)",
                "2:bad usage or configuration",
                "3:records were set aside in failed/ (see their .reason files; `retry-failed` puts them back)",
                "4:SQS kept records waiting in new/ (unreachable, a queue missing, access denied, throttling); "
                        + "the next run retries them"
            })
    static final class Flush implements Callable<Integer> {

        static final int EXIT_PASS_FAILED = 1;
        static final int EXIT_SET_ASIDE = 3;
        static final int EXIT_WAITING = 4;

        @Mixin
        ConfigOption config;

        @Mixin
        LocalStackOption target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            HeraldConfig cfg = target.apply(load(config));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PassResult r;
            Optional<DynamoDbClient> dynamo = preferencesClient(cfg);
            try (SqsClient sqs = SqsClients.create(cfg.sqs());
                    Forwarder forwarder = forwarder(
                            cfg, new SqsSink(sqs, cfg.sqs(), new SqsProducer(sqs, new EnvelopeCodec())), dynamo)) {
                r = forwarder.pass(true);
            } catch (RuntimeException e) {
                dynamo.ifPresent(DynamoDbClient::close);
                LoggerFactory.getLogger(MailprogCommand.class).error("forwarder pass failed", e);
                err.println("herald: the forwarder pass failed: " + Services.rootMessage(e)
                        + " (records not yet sent stay in " + cfg.mailprog().spoolDir() + "/new)");
                return EXIT_PASS_FAILED;
            }
            dynamo.ifPresent(DynamoDbClient::close);
            out.printf(
                    "sent %d spool record(s), %d moved to failed/, %d waiting for SQS, %d not sent as their owner's "
                            + "preferences say (muted)%n",
                    r.delivered(), r.failed(), r.waiting(), r.muted());
            out.flush();
            if (!r.errors().isEmpty()) {
                err.println("herald: the pass could not finish its work ("
                        + r.errors().size() + " problem(s)): " + r.errors().getFirst());
                return EXIT_PASS_FAILED;
            }
            if (r.failed() > 0) {
                err.println("herald: " + r.failed() + " spool record(s) set aside in "
                        + cfg.mailprog().spoolDir()
                        + "/failed (reasons in the .reason files; `herald mailprog retry-failed` puts them back)");
                return EXIT_SET_ASIDE;
            }
            if (r.waiting() > 0) {
                err.println("herald: " + r.waiting() + " spool record(s) kept in "
                        + cfg.mailprog().spoolDir()
                        + "/new: SQS did not take them (" + r.sqsTrouble().orElse("no answer")
                        + "); the next run retries");
                return EXIT_WAITING;
            }
            return 0;
        }
    }

    @Command(
            name = "retry-failed",
            mixinStandardHelpOptions = true,
            description = {
                "Put records set aside in mailprog.spoolDir/failed back into new/ for the forwarder to try",
                "again (after fixing what their .reason files say: a queue, the allow-list, a receiver's",
                "registration). Their .reason files are removed; a record that fails again gets a new one.",
                "Prints a count."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:done (also when there was nothing to put back)",
                "1:some records could not be moved (one line says which and why)",
                "2:bad usage or configuration"
            })
    static final class RetryFailed implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Option(
                names = "--reason",
                paramLabel = "TEXT",
                description = "Only records whose reason contains TEXT (ignoring case), e.g. --reason allowList.")
        String reason;

        @Option(names = "--dry-run", description = "List what would be put back, with each reason; move nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            HeraldConfig cfg = load(config);
            Spool spool = new Spool(Path.of(cfg.mailprog().spoolDir()));
            PrintWriter out = spec.commandLine().getOut();
            List<Spool.SetAside> chosen = spool.setAside().stream()
                    .filter(r -> reason == null
                            || r.reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)))
                    .toList();
            if (dryRun) {
                chosen.forEach(r -> out.println(
                        r.name() + "  " + r.reason().lines().findFirst().orElse("(no reason file)")));
                out.println("would put " + chosen.size() + " set-aside record(s) back into " + spool.incoming());
                out.flush();
                return 0;
            }
            int moved = 0;
            List<String> problems = new ArrayList<>();
            for (Spool.SetAside r : chosen) {
                try {
                    spool.retry(r.name());
                    moved++;
                } catch (UncheckedIOException e) {
                    problems.add(e.getMessage());
                }
            }
            out.println("put " + moved + " set-aside record(s) back into " + spool.incoming()
                    + (problems.isEmpty() ? "" : "; " + problems.size() + " could not be moved"));
            out.flush();
            if (!problems.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("herald: " + problems.size() + " record(s) stay in failed/: " + problems.getFirst());
                return 1;
            }
            return 0;
        }
    }

    @Command(
            name = "install-shim",
            mixinStandardHelpOptions = true,
            description = {
                "Write herald-mailprog (the POSIX sh capture script) with its spool set to mailprog.spoolDir,",
                "and create the spool and its tmp/, new/ and failed/ owned by SlurmUser (who runs MailProg) in the",
                "forwarder user's group, mode 2770: slurmctld writes, the forwarder reads and removes. Run it as",
                "root. Directories that exist with other owners or modes are not changed: it refuses, printing",
                "the chown/chmod that fixes them. Then set MailProg=<that path> in slurm.conf."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:written",
                "1:refused or failed (one line says why and how to fix it)",
                "2:bad usage or configuration"
            })
    static final class InstallShim implements Callable<Integer> {

        static final Path DEFAULT_SLURM_CONF = Path.of("/etc/slurm/slurm.conf");

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--to",
                paramLabel = "FILE",
                defaultValue = "/usr/bin/herald-mailprog",
                description = "Where to write the script (default: ${DEFAULT-VALUE}).")
        Path target;

        @Option(
                names = "--slurm-user",
                paramLabel = "USER",
                description = "The user slurmctld runs MailProg as. "
                        + "Default: SlurmUser from slurm.conf (root when unset).")
        String slurmUser;

        @Option(
                names = "--slurm-conf",
                paramLabel = "FILE",
                description =
                        "slurm.conf to read SlurmUser from. " + "Default: $SLURM_CONF, else /etc/slurm/slurm.conf.")
        Path slurmConf;

        @Option(
                names = "--forwarder-user",
                paramLabel = "USER",
                defaultValue = "herald",
                description = "The user `herald mailprog forward` runs as; the spool gets its group "
                        + "(default: ${DEFAULT-VALUE}).")
        String forwarderUser;

        /** The machine's users and files: a stand-in only in tests that run without root. */
        SpoolSetup.Host host = SpoolSetup.SYSTEM;

        @Override
        public Integer call() throws IOException {
            HeraldConfig cfg = config.load();
            String spoolDir = Path.of(cfg.mailprog().spoolDir())
                    .toAbsolutePath()
                    .normalize()
                    .toString();
            String script;
            try {
                script = Mailprog.captureScript(spoolDir);
            } catch (IllegalArgumentException e) {
                throw new StartupException("mailprog.spoolDir (" + ConfigLoader.environmentVariable("mailprog.spoolDir")
                        + "): " + e.getMessage());
            }
            String runsAs = slurmUser != null ? slurmUser : slurmUserFromConf();
            SpoolSetup.SetupResult outcome;
            try {
                outcome = new SpoolSetup(host).apply(Path.of(spoolDir), runsAs, forwarderUser);
            } catch (UncheckedIOException e) {
                throw new StartupException(e.getMessage());
            }
            if (outcome instanceof SpoolSetup.Refused(String reason)) {
                throw new StartupException(reason);
            }
            Path tmp = target.resolveSibling("." + target.getFileName() + ".new");
            Files.writeString(tmp, script);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(
                    tmp,
                    target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            PrintWriter out = spec.commandLine().getOut();
            if (outcome instanceof SpoolSetup.Ready(List<Path> created) && !created.isEmpty()) {
                out.println("created "
                        + String.join(" ", created.stream().map(Path::toString).toList()) + " (" + runsAs + ":"
                        + host.primaryGroup(forwarderUser).orElse("?") + ", mode 2770)");
            }
            out.println("wrote " + target + " (spool " + spoolDir + ", written by " + runsAs + ", read by "
                    + forwarderUser + "); in slurm.conf: MailProg=" + target.toAbsolutePath());
            out.flush();
            return 0;
        }

        private String slurmUserFromConf() {
            String fromEnv = System.getenv("SLURM_CONF");
            Path conf = slurmConf != null
                    ? slurmConf
                    : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : DEFAULT_SLURM_CONF;
            try {
                return SpoolSetup.slurmUserFrom(conf);
            } catch (UncheckedIOException e) {
                throw new StartupException("cannot read SlurmUser from " + conf + " (" + Services.rootMessage(e)
                        + "): pass --slurm-conf FILE or --slurm-user USER (the user slurmctld runs MailProg as)");
            }
        }
    }
}
