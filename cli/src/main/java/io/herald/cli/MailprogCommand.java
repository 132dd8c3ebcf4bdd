package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.mailprog.Mailprog;
import io.herald.mailprog.forward.Forwarder;
import io.herald.mailprog.forward.ForwarderDaemon;
import io.herald.mailprog.forward.PassResult;
import io.herald.mailprog.forward.SqsSink;
import io.herald.mailprog.spool.Spool;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "mailprog", mixinStandardHelpOptions = true,
        description = {"The Slurm side: herald-mailprog (slurm.conf MailProg) spools each job event in milliseconds;",
                "these commands turn the spool into notifications on SQS (mailprog.* keys configure them).",
                "Users write: sbatch --mail-type=ALL --mail-user=\"mailto:a@b.org,telegram:123456,carol\""},
        subcommands = {MailprogCommand.Forward.class, MailprogCommand.Flush.class, MailprogCommand.InstallShim.class})
final class MailprogCommand implements Runnable {


    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configuration with a goslmailer config merged in when mailprog.goslmailerConfig names one. */
    static HeraldConfig load(ConfigOption option) {
        HeraldConfig config = option.load();
        try {
            // The logger is looked up only when there is a note: a static one would set up logging (some 300
            // classes, an XML parse) in every command, `herald --version` included, since picocli builds them all.
            return Mailprog.withGoslmailer(config,
                    note -> LoggerFactory.getLogger(MailprogCommand.class).info("{}", note));
        } catch (IllegalArgumentException e) {
            throw new StartupException("mailprog.goslmailerConfig ("
                    + ConfigLoader.environmentVariable("mailprog.goslmailerConfig") + "): " + e.getMessage());
        }
    }

    @Command(name = "forward", mixinStandardHelpOptions = true,
            description = {"Run the forwarder: watch mailprog.spoolDir and put one envelope per receiver on SQS.",
                    "A spool record is removed once SQS has acknowledged all of it; while SQS is unreachable records",
                    "wait and are retried with backoff. Runs until stopped (Ctrl-C, SIGTERM)."})
    static final class Forward implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            HeraldConfig cfg = load(config);
            SqsClient sqs = SqsClients.create(cfg.sqs());
            Forwarder forwarder = Mailprog.forwarder(cfg, new SqsSink(sqs, cfg.sqs(), new SqsProducer(sqs, new EnvelopeCodec())),
                    Clock.systemUTC());
            ForwarderDaemon daemon = new ForwarderDaemon(forwarder, new Spool(Path.of(cfg.mailprog().spoolDir())).incoming(),
                    cfg.mailprog().scanInterval()).start();
            System.out.println("Herald mailprog forwarder watching " + cfg.mailprog().spoolDir());
            Services.runUntilStopped("mailprog forwarder", () -> {
                daemon.close();
                sqs.close();
            });
            return 0;
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = {"One forwarder pass, then exit (for cron): send what is in the spool, folding what is over",
                    "a user's cap into digests now. Exits 1 when records had to stay because SQS did not take them."})
    static final class Flush implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            HeraldConfig cfg = load(config);
            PrintWriter out = spec.commandLine().getOut();
            try (SqsClient sqs = SqsClients.create(cfg.sqs());
                 Forwarder forwarder = Mailprog.forwarder(cfg, new SqsSink(sqs, cfg.sqs(), new SqsProducer(sqs, new EnvelopeCodec())),
                         Clock.systemUTC())) {
                PassResult r = forwarder.pass(true);
                out.printf("sent %d spool record(s), %d moved to failed/, %d waiting for SQS%n", r.delivered(), r.failed(), r.waiting());
                out.flush();
                if (r.waiting() > 0) {
                    spec.commandLine().getErr().println("herald: " + r.waiting() + " spool record(s) kept in "
                            + cfg.mailprog().spoolDir() + ": SQS did not take them; the next run retries");
                    return 1;
                }
                return 0;
            }
        }
    }

    @Command(name = "install-shim", mixinStandardHelpOptions = true,
            description = {"Write herald-mailprog (the POSIX sh capture script) with its spool set to mailprog.spoolDir,",
                    "and create the spool's tmp/, new/ and failed/. Then set MailProg=<that path> in slurm.conf."})
    static final class InstallShim implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(names = "--to", paramLabel = "FILE", defaultValue = "/usr/bin/herald-mailprog",
                description = "Where to write the script (default: ${DEFAULT-VALUE}).")
        Path target;

        @Override
        public Integer call() throws IOException {
            HeraldConfig cfg = config.load();
            String spoolDir = Path.of(cfg.mailprog().spoolDir()).toAbsolutePath().normalize().toString();
            String script;
            try {
                script = Mailprog.captureScript(spoolDir);
            } catch (IllegalArgumentException e) {
                throw new StartupException("mailprog.spoolDir (" + ConfigLoader.environmentVariable("mailprog.spoolDir") + "): " + e.getMessage());
            }
            new Spool(Path.of(spoolDir)).ensureDirectories();
            Path tmp = target.resolveSibling("." + target.getFileName() + ".new");
            Files.writeString(tmp, script);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + target + " (spool " + spoolDir + "); in slurm.conf: MailProg=" + target.toAbsolutePath());
            out.println("the user slurmctld runs MailProg as (SlurmUser) must be able to write " + spoolDir + "/tmp and /new");
            out.flush();
            return 0;
        }
    }
}
