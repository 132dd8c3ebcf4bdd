package io.herald.slurme2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A one-node Slurm cluster on 127.0.0.1 in a private directory: munged, mariadbd, slurmdbd, slurmctld and slurmd, each
 * started by hand in the foreground as a child process (there is no systemd as PID 1 here), on free ports and with
 * private sockets, PID files and spools, so nothing clashes with a Slurm or MariaDB the machine may run.
 * {@link #close()} stops each by its PID.
 */
final class LocalSlurmCluster implements AutoCloseable {

    static final String CLUSTER = "heralde2e";
    static final String ACCOUNT = "e2e";
    /** The node claims more CPUs than the machine has (2) so that the test's jobs run at once; they mostly sleep. */
    static final int NODE_CPUS = 16;

    private static final Duration START_BOUND = Duration.ofSeconds(90);

    private final Path root;
    private final Path log;
    private final Path conf;
    private final Path mungeSocket;
    private final List<Daemon> daemons = new ArrayList<>();
    private final Map<String, String> clientEnv;

    private LocalSlurmCluster(Path root) {
        this.root = root;
        this.log = root.resolve("log");
        this.conf = root.resolve("etc/slurm.conf");
        this.mungeSocket = root.resolve("munge-run/munge.socket");
        this.clientEnv = Map.of("SLURM_CONF", conf.toString());
    }

    /**
     * Configures and starts the cluster under {@code root} (which must be traversable by every user); {@code mailProg}
     * is what slurm.conf's MailProg names, {@code users} get an association.
     */
    static LocalSlurmCluster start(Path root, Path mailProg, List<String> users) throws IOException {
        LocalSlurmCluster c = new LocalSlurmCluster(root);
        try {
            c.startAll(mailProg, users);
        } catch (RuntimeException | IOException | Error e) {
            c.dumpLogs();
            c.close();
            throw e;
        }
        return c;
    }

    /** SLURM_CONF for every client command (sbatch, sacct, herald's forwarder). */
    Map<String, String> clientEnv() {
        return clientEnv;
    }

    Path slurmConf() {
        return conf;
    }

    private void startAll(Path mailProg, List<String> users) throws IOException {
        for (String d : List.of("log", "etc", "munge", "munge-run", "db", "state", "spool/slurmd")) {
            Files.createDirectories(root.resolve(d));
        }
        setMode(root.resolve("log"), "rwxrwxrwx");
        setMode(root.resolve("etc"), "rwxr-xr-x");
        setMode(root.resolve("spool"), "rwxr-xr-x");
        chown("munge:munge", root.resolve("munge"), root.resolve("munge-run"));
        setMode(root.resolve("munge"), "rwx------");
        setMode(root.resolve("munge-run"), "rwxr-xr-x");
        chown("mysql:mysql", root.resolve("db"));
        chown("slurm:slurm", root.resolve("state"));

        startMunge();
        int dbPort = freePort();
        String dbPassword = HexFormat.of().formatHex(randomBytes(12));
        startMariaDb(dbPort, dbPassword);
        int dbdPort = freePort();
        int ctldPort = freePort();
        int slurmdPort = freePort();
        writeConfigs(mailProg, dbPort, dbPassword, dbdPort, ctldPort, slurmdPort);

        Daemon dbd = daemon("slurmdbd", HostCommand.of("slurmdbd", "-D").withEnv(clientEnv));
        await(
                "slurmdbd answering sacctmgr",
                dbd,
                () -> slurm("sacctmgr", "-n", "list", "cluster").ok());
        slurm("sacctmgr", "-i", "add", "cluster", CLUSTER).stdoutOrThrow();
        slurm("sacctmgr", "-i", "add", "account", ACCOUNT, "Cluster=" + CLUSTER).stdoutOrThrow();
        for (String user : users) {
            slurm("sacctmgr", "-i", "add", "user", user, "Account=" + ACCOUNT).stdoutOrThrow();
        }
        Daemon ctld = daemon("slurmctld", HostCommand.of("slurmctld", "-D").withEnv(clientEnv));
        await(
                "slurmctld answering scontrol ping",
                ctld,
                () -> slurm("scontrol", "ping").stdout().contains("UP"));
        Daemon slurmd = daemon("slurmd", HostCommand.of("slurmd", "-D").withEnv(clientEnv));
        await("the node idle in sinfo", slurmd, () -> {
            ctld.requireAlive();
            return slurm("sinfo", "-h", "-o", "%T").stdout().strip().equals("idle");
        });
        Progress.say("cluster " + CLUSTER + " up: "
                + slurm("sinfo", "-h", "-N", "-o", "%N %T %c CPUs %m MB")
                        .stdout()
                        .strip());
    }

    private void startMunge() throws IOException {
        // The key as the MUNGE docs make it without mungekey: 1024 random bytes, readable by munge only.
        Path key = root.resolve("munge/munge.key");
        Files.write(key, randomBytes(1024));
        chown("munge:munge", key);
        setMode(key, "r--------");
        Daemon munged = daemon(
                "munged",
                HostCommand.of(
                                "munged",
                                "--foreground",
                                "--socket=" + mungeSocket,
                                "--key-file=" + key,
                                "--pid-file=" + root.resolve("munge/munged.pid"),
                                "--log-file=" + log.resolve("munged.log"),
                                "--seed-file=" + root.resolve("munge/munged.seed"))
                        .as("munge"));
        await(
                "munged encoding credentials",
                munged,
                () -> HostCommand.of("munge", "-n", "-S", mungeSocket.toString())
                        .run()
                        .ok());
    }

    private void startMariaDb(int port, String slurmPassword) throws IOException {
        Path data = root.resolve("db");
        Path socket = data.resolve("mariadb.sock");
        HostCommand.of(
                        "mariadb-install-db",
                        "--no-defaults",
                        "--user=mysql",
                        "--datadir=" + data,
                        "--auth-root-authentication-method=socket",
                        "--skip-test-db")
                .within(Duration.ofMinutes(3))
                .run()
                .stdoutOrThrow();
        // mariadbd starts as root and becomes mysql itself (--user); the PID stays the same.
        Daemon db = daemon(
                "mariadbd",
                HostCommand.of(
                        "mariadbd",
                        "--no-defaults",
                        "--user=mysql",
                        "--datadir=" + data,
                        "--socket=" + socket,
                        "--port=" + port,
                        "--bind-address=127.0.0.1",
                        "--skip-name-resolve",
                        "--pid-file=" + data.resolve("mariadbd.pid"),
                        "--log-error=" + log.resolve("mariadbd.log"),
                        // slurmdbd asks for these; the defaults make it warn on every start.
                        "--innodb-buffer-pool-size=128M",
                        "--innodb-lock-wait-timeout=900"));
        await(
                "mariadbd answering on its socket",
                db,
                () -> HostCommand.of("mariadb", "--no-defaults", "--socket=" + socket, "-uroot", "-e", "select 1")
                        .run()
                        .ok());
        // The password goes through a root-only file, never a command line (ps, error messages).
        Path sql = root.resolve("munge-run").resolveSibling("grant.sql");
        Files.writeString(
                sql,
                "CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '" + slurmPassword + "';\n"
                        + "GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';\n");
        setMode(sql, "rw-------");
        HostCommand.of("mariadb", "--no-defaults", "--socket=" + socket, "-uroot", "-e", "source " + sql)
                .run()
                .stdoutOrThrow();
        Files.delete(sql);
    }

    /** The node line: the FIRST line of `slurmd -C` (the second is UpTime=), with more CPUs declared. */
    static String nodeLine(String slurmdC, int cpus) {
        String first =
                slurmdC.lines().findFirst().orElseThrow(() -> new IllegalStateException("slurmd -C printed nothing"));
        Matcher name = Pattern.compile("NodeName=(\\S+)").matcher(first);
        Matcher mem = Pattern.compile("RealMemory=(\\d+)").matcher(first);
        if (!name.find() || !mem.find()) {
            throw new IllegalStateException("slurmd -C printed no NodeName/RealMemory: " + first);
        }
        return "NodeName=" + name.group(1) + " NodeAddr=127.0.0.1 CPUs=" + cpus
                + " Boards=1 SocketsPerBoard=1 CoresPerSocket=" + cpus + " ThreadsPerCore=1 RealMemory=" + mem.group(1);
    }

    private void writeConfigs(Path mailProg, int dbPort, String dbPassword, int dbdPort, int ctldPort, int slurmdPort)
            throws IOException {
        String node = nodeLine(HostCommand.of("slurmd", "-C").run().stdoutOrThrow(), NODE_CPUS);
        String nodeName = node.substring("NodeName=".length(), node.indexOf(' '));
        Path dbdConf = root.resolve("etc/slurmdbd.conf");
        Files.writeString(
                dbdConf,
                String.join(
                        "\n",
                        "AuthType=auth/munge",
                        "AuthInfo=socket=" + mungeSocket,
                        "DbdHost=localhost",
                        "DbdAddr=127.0.0.1",
                        "DbdPort=" + dbdPort,
                        "SlurmUser=slurm",
                        "LogFile=" + log.resolve("slurmdbd.log"),
                        "PidFile=" + root.resolve("state/slurmdbd.pid"),
                        "StorageType=accounting_storage/mysql",
                        "StorageHost=127.0.0.1",
                        "StoragePort=" + dbPort,
                        "StorageUser=slurm",
                        "StoragePass=" + dbPassword,
                        "StorageLoc=slurm_acct_db",
                        ""));
        chown("slurm:slurm", dbdConf);
        setMode(dbdConf, "rw-------");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "ClusterName=" + CLUSTER,
                        "SlurmctldHost=" + nodeName + "(127.0.0.1)",
                        "SlurmctldPort=" + ctldPort,
                        "SlurmdPort=" + slurmdPort,
                        "SlurmUser=slurm",
                        "AuthType=auth/munge",
                        "AuthInfo=socket=" + mungeSocket,
                        "StateSaveLocation=" + root.resolve("state"),
                        "SlurmdSpoolDir=" + root.resolve("spool/slurmd"),
                        "SlurmctldPidFile=" + root.resolve("state/slurmctld.pid"),
                        "SlurmdPidFile=" + root.resolve("spool/slurmd.pid"),
                        "SlurmctldLogFile=" + log.resolve("slurmctld.log"),
                        "SlurmdLogFile=" + log.resolve("slurmd.log"),
                        "ProctrackType=proctrack/linuxproc",
                        "TaskPlugin=task/none",
                        "SelectType=select/cons_tres",
                        "SelectTypeParameters=CR_Core_Memory",
                        "DefMemPerCPU=100",
                        "JobAcctGatherType=jobacct_gather/linux",
                        // Memory is enforced without cgroups: a job over its --mem is killed (FAILED, signal 9).
                        "JobAcctGatherParams=OverMemoryKill",
                        "JobAcctGatherFrequency=task=1",
                        "AccountingStorageType=accounting_storage/slurmdbd",
                        "AccountingStorageHost=localhost",
                        "AccountingStoragePort=" + dbdPort,
                        // For slurmdbd connections this names the MUNGE socket (ours is not the default one).
                        "AccountingStoragePass=" + mungeSocket,
                        "MinJobAge=5",
                        "MailProg=" + mailProg,
                        // Lets the node line claim more CPUs than slurmd finds.
                        "SlurmdParameters=config_overrides",
                        "ReturnToService=2",
                        "MpiDefault=none",
                        node + " State=UNKNOWN",
                        "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
                        ""));
        setMode(conf, "rw-r--r--");
    }

    /** A Slurm client command as root (sacct, scontrol, scancel). */
    HostCommand.Outcome slurm(String... argv) {
        return HostCommand.of(argv).withEnv(clientEnv).run();
    }

    /** A client command as {@code user} in {@code dir} (sbatch from a user's own directory). */
    HostCommand.Outcome slurmAs(String user, Path dir, List<String> argv) {
        return new HostCommand(argv, clientEnv, dir, Duration.ofMinutes(1))
                .as(user)
                .run();
    }

    private Daemon daemon(String name, HostCommand command) {
        Daemon d = Daemon.start(name, command, log.resolve(name + ".out"));
        daemons.add(d);
        return d;
    }

    private static void await(String what, Daemon daemon, java.util.concurrent.Callable<Boolean> ready) {
        Awaitility.await(what)
                .atMost(START_BOUND)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .failFast(daemon.name() + " exited", () -> !daemon.alive())
                .until(ready);
        Progress.say(daemon.name() + " ready: " + what);
    }

    /** The end of each daemon's log, for a failed run's output. */
    void dumpLogs() {
        for (String name : List.of(
                "slurmctld.log",
                "slurmd.log",
                "slurmdbd.log",
                "munged.log",
                "mariadbd.log",
                "slurmctld.out",
                "slurmd.out",
                "slurmdbd.out")) {
            Path f = log.resolve(name);
            if (Files.exists(f)) {
                System.out.println("----- last lines of " + f + " -----\n" + Daemon.tail(f, 40));
            }
        }
    }

    /** Stops every daemon this cluster started, newest first, each by its own PID. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            try {
                daemons.get(i).stop();
            } catch (RuntimeException e) {
                Progress.say("could not stop " + daemons.get(i).name() + ": " + e.getMessage());
            }
        }
        daemons.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    static void chown(String owner, Path... paths) {
        List<String> argv = new ArrayList<>(List.of("chown", owner));
        for (Path p : paths) {
            argv.add(p.toString());
        }
        new HostCommand(argv, Map.of(), null, Duration.ofSeconds(30)).run().stdoutOrThrow();
    }

    static void setMode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
