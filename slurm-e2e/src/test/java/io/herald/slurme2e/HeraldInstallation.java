package io.herald.slurme2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Herald installed on the controller the way docs/slurm.md tells an admin: a {@code herald} system
 * user, /etc/herald/herald.yaml, {@code herald mailprog install-shim} as root (it reads SlurmUser from
 * slurm.conf and creates the spool that SlurmUser writes and herald reads and removes), and the
 * forwarder running as {@code herald}. Every path lives
 * under a private prefix instead of /opt, /etc and /var.
 *
 * <p>Where Herald comes from: {@link #installBinaries} copies this reactor's build (the cli jar and
 * its dependency jars, as they are on this module's test classpath) into {@code opt/herald/lib} with a
 * small {@code bin/herald} launcher. It deliberately does not run the checkout's {@code ./herald}: that
 * writes a classpath into root's ~/.m2 (mode 700), which the herald user cannot read. Once the
 * {@code packaging} module's herald-VERSION-linux-x64.tar.gz exists, this one method switches to
 * unpacking that tarball (its bin/herald) into the same prefix; nothing else here changes.
 */
final class HeraldInstallation implements AutoCloseable {

    static final String USER = "herald";
    static final String SLURM_USER = "slurm";

    private final Path prefix;
    private final Path herald;
    private final Path config;
    private final Path spool;
    private final Path shim;
    private Daemon forwarder;

    private HeraldInstallation(Path prefix) {
        this.prefix = prefix;
        this.herald = prefix.resolve("opt/herald/bin/herald");
        this.config = prefix.resolve("etc/herald/herald.yaml");
        this.spool = prefix.resolve("var/spool/herald/mailprog");
        this.shim = prefix.resolve("usr/bin/herald-mailprog");
    }

    /** Step 1 of docs/slurm.md: the user, the configuration directory and Herald itself. */
    static HeraldInstallation prepare(Path prefix, URI sqsEndpoint, String queue) throws IOException {
        HeraldInstallation h = new HeraldInstallation(prefix);
        if (!HostCommand.of("id", USER).run().ok()) {
            HostCommand.of("useradd", "--system", "--home-dir", "/var/lib/herald", "--create-home",
                    "--shell", "/usr/sbin/nologin", USER).run().stdoutOrThrow();
            Progress.say("created the system user " + USER);
        }
        Files.createDirectories(h.shim.getParent());
        // The spool itself is install-shim's to create (step 2), owned by SlurmUser in group herald.
        Files.createDirectories(h.spool.getParent());
        HostCommand.of("install", "-d", "-o", USER, "-g", USER, "-m", "0750", h.config.getParent().toString()).run()
                .stdoutOrThrow();
        h.installBinaries();
        Files.writeString(h.config, h.yaml(sqsEndpoint, queue));
        LocalSlurmCluster.chown(USER + ":" + USER, h.config);
        LocalSlurmCluster.setMode(h.config, "rw-r-----");
        return h;
    }

    Path shim() {
        return shim;
    }

    Path spool() {
        return spool;
    }

    Path config() {
        return config;
    }

    private String yaml(URI sqsEndpoint, String queue) {
        return """
                sqs:
                  endpoint: %s
                  region: us-east-1
                  queues: [%s]
                mailprog:
                  spoolDir: %s
                  sacct: /usr/bin/sacct
                  sacctAttempts: 10
                  sacctDelay: 1s
                  scanInterval: 1s
                  mailDomain: example.org
                  allowList: ["mailto=.+@example\\\\.org"]
                  # One test user sends every job's mail: no digests here (ThrottleTest covers them).
                  throttle: {maxPerUser: 0, window: 10m}
                """.formatted(sqsEndpoint, queue, spool);
    }

    /** Herald's files under opt/herald, readable by everyone (see the class comment for the package switch). */
    private void installBinaries() throws IOException {
        Path lib = Files.createDirectories(prefix.resolve("opt/herald/lib"));
        Files.createDirectories(herald.getParent());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (entry.isBlank() || !Files.exists(source) || testOnly(entry)) {
                continue;
            }
            Path target = lib.resolve(String.format("%03d-%s", n++, source.getFileName()));
            copy(source, target);
            entries.add(target.toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int feature = Runtime.version().feature();
        String flags = (feature >= 22 ? " --enable-native-access=ALL-UNNAMED" : "")
                + (feature >= 24 ? " --sun-misc-unsafe-memory-access=allow" : "");
        Files.writeString(herald, "#!/bin/sh\n"
                + "# Installed by the slurm-e2e test from the reactor's build (see HeraldInstallation).\n"
                + "exec " + java + flags + " $HERALD_JAVA_OPTS -cp '" + String.join(":", entries)
                + "' io.herald.cli.Herald \"$@\"\n");
        HostCommand.of("chmod", "-R", "a+rX", prefix.resolve("opt").toString()).run().stdoutOrThrow();
        LocalSlurmCluster.setMode(herald, "rwxr-xr-x");
        Progress.say("installed Herald (" + entries.size() + " class path entries) under "
                + herald.getParent().getParent());
    }

    /** Test libraries and this module's own classes are not part of Herald. */
    private static boolean testOnly(String entry) {
        return entry.endsWith("test-classes") || entry.contains("slurm-e2e")
                || Stream.of("/org/junit/", "/org/assertj/", "/org/awaitility/", "/org/hamcrest/", "/org/opentest4j/",
                "/org/apiguardian/", "/net/bytebuddy/", "/surefire").anyMatch(entry::contains);
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path t = target.resolve(source.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Step 2 of docs/slurm.md, as root: {@code herald mailprog install-shim --config ... --to ...}.
     * SLURM_CONF tells it (and anything it reads) where this cluster's slurm.conf is.
     */
    HostCommand.Outcome installShim(Map<String, String> slurmEnv) {
        List<String> argv = new ArrayList<>(List.of(herald.toString(), "mailprog", "install-shim", "--config",
                config.toString(), "--to", shim.toString()));
        HostCommand.Outcome first = new HostCommand(argv, slurmEnv, null, Duration.ofMinutes(1)).run();
        if (first.ok() || !(first.stdout() + first.stderr()).contains("--slurm-user")) {
            return first;
        }
        // An install-shim that cannot tell SlurmUser from slurm.conf asks for it (issue 12 part 2).
        Progress.say("install-shim asks for --slurm-user: " + first.describe());
        argv.addAll(List.of("--slurm-user", SLURM_USER));
        return new HostCommand(argv, slurmEnv, null, Duration.ofMinutes(1)).run();
    }

    /** Problems with the spool's subdirectories as install-shim left them, one line each (none: fine). */
    List<String> spoolProblems() {
        List<String> problems = new ArrayList<>();
        for (String dir : List.of("tmp", "new")) {
            Path d = spool.resolve(dir);
            if (!HostCommand.of("test", "-w", d.toString()).as(SLURM_USER).run().ok()) {
                problems.add(d + " is not writable by SlurmUser " + SLURM_USER + " (" + owner(d) + ")");
            }
        }
        for (String dir : List.of("new", "failed")) {
            Path d = spool.resolve(dir);
            if (!HostCommand.of("test", "-w", d.toString()).as(USER).run().ok()
                    || !HostCommand.of("test", "-r", d.toString()).as(USER).run().ok()) {
                problems.add(d + " is not readable and writable by " + USER + " (" + owner(d) + ")");
            }
        }
        return problems;
    }

    /** What docs/slurm.md asks of the spool (slurm writes, group herald reads and removes), set by hand. */
    void repairSpool() {
        for (String dir : List.of("tmp", "new", "failed")) {
            Path d = spool.resolve(dir);
            HostCommand.of("chown", SLURM_USER + ":" + USER, d.toString()).run().stdoutOrThrow();
            HostCommand.of("chmod", "2770", d.toString()).run().stdoutOrThrow();
        }
    }

    private static String owner(Path p) {
        return HostCommand.of("stat", "-c", "%U:%G %a", p.toString()).run().stdout().strip();
    }

    /** Step 3 of docs/slurm.md without systemd: {@code herald mailprog forward} as the herald user. */
    void startForwarder(Map<String, String> slurmEnv, Path logDir) {
        Map<String, String> env = new java.util.HashMap<>(slurmEnv);
        env.put("HOME", "/var/lib/herald");
        env.put("HERALD_CONFIG", config.toString());
        forwarder = Daemon.start("herald mailprog forward (as " + USER + ")",
                HostCommand.of(herald.toString(), "mailprog", "forward").withEnv(env).in(Path.of("/")).as(USER),
                logDir.resolve("herald-forwarder.out"));
    }

    Daemon forwarder() {
        return forwarder;
    }

    @Override
    public void close() {
        if (forwarder != null) {
            forwarder.stop();
        }
    }
}
