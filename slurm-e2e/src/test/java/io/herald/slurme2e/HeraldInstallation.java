package io.herald.slurme2e;

import io.herald.core.testing.ShippedUnit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Herald installed on the controller the way docs/slurm.md tells an admin: {@code apt-get install
 * ./herald_VERSION_amd64.deb} (the packaging module's build, passed in as {@code herald.deb}), after Slurm's packages
 * so that the package gives the spool to SlurmUser {@code slurm}; the test's configuration written into the package's
 * conffile /etc/herald/herald.yaml; slurm.conf's {@code MailProg=/usr/bin/herald-mailprog}; and the forwarder run as
 * the shipped herald-mailprog-forward.service runs it. {@link #close} purges the package, so the machine keeps only
 * what Debian policy keeps (the {@code herald} system user).
 *
 * <p>install-shim is not used here: the package installs the capture script and the spool itself. install-shim (other
 * spool directories, the tarball) is checked by MailprogCommandTest and SpoolSetupTest.
 */
final class HeraldInstallation implements AutoCloseable {

    static final String PACKAGE = "herald";
    static final String USER = "herald";
    static final String SLURM_USER = "slurm";
    static final Path SHIM = Path.of("/usr/bin/herald-mailprog");
    static final Path CONFIG = Path.of("/etc/herald/herald.yaml");
    static final Path SPOOL = Path.of("/var/spool/herald/mailprog");
    static final Path FORWARDER_UNIT = Path.of("/usr/lib/systemd/system/herald-mailprog-forward.service");
    static final Path BOT_UNIT = Path.of("/usr/lib/systemd/system/herald-telegram-bot.service");
    /** The status table in the test's DynamoDB Local: users' preferences, chat links, recent jobs. */
    static final String STATUS_TABLE = "herald-e2e-status";
    /** The bot's token as the Telegram fake knows it (a fake's, worth nothing elsewhere). */
    static final String BOT_TOKEN = "4242:e2e-fake-token";

    private static final Map<String, String> APT_ENV = Map.of("DEBIAN_FRONTEND", "noninteractive");
    /** Another build on this machine (packaging's PackageInstallIT, Slurm's packages) may hold the dpkg lock. */
    private static final List<String> APT_LOCK_WAIT = List.of("-o", "DPkg::Lock::Timeout=300");

    private Daemon forwarder;
    private Daemon bot;
    private boolean installed;

    private HeraldInstallation() {}

    /** The .deb the packaging module built in this reactor (slurm-e2e's pom passes its path). */
    static Path debFromBuild() {
        String deb = System.getProperty("herald.deb", "");
        if (deb.isBlank()) {
            throw new IllegalStateException("system property herald.deb is not set: run this test through Maven"
                    + " (slurm-e2e's pom sets it to the packaging module's .deb)");
        }
        Path path = Path.of(deb);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no Herald package at " + path + ": build it first with"
                    + " ./mvnw -pl packaging -am package (without -Dherald.archives.skip)");
        }
        return path;
    }

    /** Why Herald cannot be installed from its package here, in one line, or empty when it can. */
    static Optional<String> whyNot() {
        HostCommand.Outcome q =
                HostCommand.of("dpkg-query", "-W", "-f=${Status}", PACKAGE).run();
        // "deinstall ok config-files" counts too: an admin's /etc/herald, which the final purge would delete.
        if (q.ok() && !q.stdout().contains("not-installed")) {
            return Optional.of("a " + PACKAGE + " package is on this machine ("
                    + q.stdout().strip()
                    + "); the test purges what it installs, so it leaves that one alone (apt-get purge herald"
                    + " lets it run)");
        }
        return Optional.empty();
    }

    /**
     * docs/slurm.md step 1: {@code apt-get install -y ./herald_VERSION_amd64.deb}, run in the package's directory as
     * written there, then the test's configuration into /etc/herald/herald.yaml.
     */
    static HeraldInstallation install(Path deb, URI sqsEndpoint, String queue, URI dynamoEndpoint, URI telegram)
            throws IOException {
        HeraldInstallation h = new HeraldInstallation();
        List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
        argv.addAll(APT_LOCK_WAIT);
        argv.add("./" + deb.getFileName());
        // Marked before the command: a half-done installation is purged too.
        h.installed = true;
        try {
            new HostCommand(argv, APT_ENV, deb.toAbsolutePath().getParent(), Duration.ofMinutes(5))
                    .run()
                    .stdoutOrThrow();
            Progress.say("installed " + deb.getFileName() + ": "
                    + HostCommand.of("/usr/bin/herald", "--version")
                            .in(Path.of("/"))
                            .run()
                            .stdoutOrThrow()
                            .strip()
                            .replace("\n", "; "));
            // The conffile keeps the owner and mode the package gave it (root:herald 0640): only its text changes.
            Files.writeString(CONFIG, yaml(sqsEndpoint, queue, dynamoEndpoint, telegram));
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    Path shim() {
        return SHIM;
    }

    Path spool() {
        return SPOOL;
    }

    private static String yaml(URI sqsEndpoint, String queue, URI dynamoEndpoint, URI telegram) {
        return """
                # Written by the slurm-e2e test (RealSlurmClusterTest) over the package's conffile.
                sqs:
                  endpoint: %s
                  region: us-east-1
                  queues: [%s]
                status:
                  endpoint: %s
                  region: us-east-1
                  table: %s
                telegramBot:
                  botToken: "%s"
                  baseUrl: %s
                  pollTimeout: 1s
                mailprog:
                  # A bare --mail-user follows the owner's preferences; link:CODE and the bot's commands work.
                  preferences: {enabled: true, cacheFor: 1s}
                  spoolDir: %s
                  sacct: /usr/bin/sacct
                  sacctAttempts: 10
                  sacctDelay: 1s
                  scanInterval: 1s
                  mailDomain: example.org
                  allowList: ["mailto=.+@example\\\\.org"]
                  # One test user sends every job's mail: no digests here (ThrottleTest covers them).
                  throttle: {maxPerUser: 0, window: 10m}
                """.formatted(sqsEndpoint, queue, dynamoEndpoint, STATUS_TABLE, BOT_TOKEN, telegram, SPOOL);
    }

    /** Problems with the spool's subdirectories as the package left them, one line each (none: fine). */
    List<String> spoolProblems() {
        List<String> problems = new ArrayList<>();
        for (String dir : List.of("tmp", "new")) {
            Path d = SPOOL.resolve(dir);
            if (!HostCommand.of("test", "-w", d.toString()).as(SLURM_USER).run().ok()) {
                problems.add(d + " is not writable by SlurmUser " + SLURM_USER + " (" + owner(d) + ")");
            }
        }
        for (String dir : List.of("new", "failed")) {
            Path d = SPOOL.resolve(dir);
            if (!HostCommand.of("test", "-w", d.toString()).as(USER).run().ok()
                    || !HostCommand.of("test", "-r", d.toString())
                            .as(USER)
                            .run()
                            .ok()) {
                problems.add(d + " is not readable and writable by " + USER + " (" + owner(d) + ")");
            }
        }
        return problems;
    }

    /** What docs/slurm.md asks of the spool (slurm writes, group herald reads and removes), set by hand. */
    void repairSpool() {
        for (String dir : List.of("tmp", "new", "failed")) {
            Path d = SPOOL.resolve(dir);
            HostCommand.of("chown", SLURM_USER + ":" + USER, d.toString()).run().stdoutOrThrow();
            HostCommand.of("chmod", "2770", d.toString()).run().stdoutOrThrow();
        }
    }

    private static String owner(Path p) {
        return HostCommand.of("stat", "-c", "%U:%G %a", p.toString())
                .run()
                .stdout()
                .strip();
    }

    /**
     * docs/slurm.md step 3 without systemd: the installed herald-mailprog-forward.service's ExecStart as its User=,
     * with its Environment= and UMask= and what systemd adds for a User= service (HOME, USER, LOGNAME, SHELL), in /,
     * nothing else inherited. SLURM_CONF stands in for /etc/slurm/slurm.conf, which this cluster does not use (a site
     * would add it with {@code systemctl edit}).
     */
    void startForwarder(Map<String, String> slurmEnv, Path logDir) throws IOException {
        forwarder = startUnit(FORWARDER_UNIT, slurmEnv, logDir.resolve("herald-forwarder.out"));
    }

    /** The installed herald-telegram-bot.service, run as {@link #startForwarder} runs the forwarder's. */
    void startTelegramBot(Path logDir) throws IOException {
        bot = startUnit(BOT_UNIT, Map.of(), logDir.resolve("herald-telegram-bot.out"));
    }

    Daemon telegramBot() {
        return bot;
    }

    private static Daemon startUnit(Path unitFile, Map<String, String> extraEnv, Path output) throws IOException {
        ShippedUnit unit = ShippedUnit.parse(Files.readString(unitFile));
        Map<String, String> env = new HashMap<>(unit.environment());
        env.putAll(ShippedUnit.userEnvironment(
                unit.user(),
                HostCommand.of("getent", "passwd", unit.user()).run().stdoutOrThrow()));
        env.putAll(extraEnv);
        // setpriv cannot set a umask: sh sets the unit's and execs, so the PID kept is the forwarder's own.
        List<String> argv =
                new ArrayList<>(List.of("/bin/sh", "-c", "umask " + unit.umask() + " && exec \"$@\"", "sh"));
        argv.addAll(unit.execStart());
        return Daemon.start(
                String.join(" ", unit.execStart()) + " (as " + unit.user() + ")",
                new HostCommand(argv, env, Path.of("/"), Duration.ofMinutes(2)).as(unit.user()),
                output);
    }

    Daemon forwarder() {
        return forwarder;
    }

    /** Keeps the spool (records not sent, reasons for those set aside) before the purge deletes it. */
    void copySpoolTo(Path target) {
        if (Files.isDirectory(SPOOL)) {
            HostCommand.of("cp", "-a", SPOOL.toString(), target.toString()).run();
        }
    }

    /** Stops the forwarder, then purges the package (also after a failure); says so when that fails. */
    @Override
    public synchronized void close() {
        if (bot != null) {
            bot.stop();
        }
        if (forwarder != null) {
            forwarder.stop();
        }
        if (!installed) {
            return;
        }
        installed = false;
        List<String> argv = new ArrayList<>(List.of("apt-get", "purge", "-y", "-q"));
        argv.addAll(APT_LOCK_WAIT);
        argv.add(PACKAGE);
        HostCommand.Outcome purge = new HostCommand(argv, APT_ENV, Path.of("/"), Duration.ofMinutes(5)).run();
        Progress.say(
                purge.ok()
                        ? "purged the " + PACKAGE + " package"
                        : "could not purge the " + PACKAGE + " package: " + purge.describe());
    }
}
