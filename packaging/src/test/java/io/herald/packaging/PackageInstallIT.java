package io.herald.packaging;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packages as a site gets them. The .deb is installed on this machine with apt-get, used as the
 * {@code herald} user with an empty environment (as systemd or cron would run it), and purged; the
 * .rpm is inspected with rpm (no RPM-based system here); the tarball is unpacked and run from
 * elsewhere through a symlink. The forwarder sends to a real ElasticMQ on 127.0.0.1.
 * Installing needs root and apt-get: without them the .deb test is skipped, saying so in one line.
 */
class PackageInstallIT {

    private static final String VERSION = System.getProperty("herald.version");
    private static final Path DEB = Path.of(System.getProperty("herald.deb"));
    private static final Path RPM = Path.of(System.getProperty("herald.rpm"));
    private static final Path TARBALL = Path.of(System.getProperty("herald.tarball"));
    private static final String SPOOL = "/var/spool/herald/mailprog";

    @TempDir
    Path dir;

    @Test
    void theDebInstallsRunsAsTheHeraldUserAndPurgesToNothing() throws Exception {
        assumeTrue(canInstall(), () -> say("skipped: installing the .deb needs root and apt-get"));
        assumeTrue(run("dpkg-query", "-W", "-f=${Status}", "herald").out().contains("not-installed")
                        || run("dpkg-query", "-W", "herald").exit() != 0,
                () -> say("skipped: a herald package is already installed here; not touching it"));
        assertThat(DEB).exists();

        Result install = run("apt-get", "install", "-y", "-q", "--no-install-recommends", DEB.toString());
        try {
            assertThat(install.exit()).as(install.all()).isZero();
            checkTheInstalledFiles();
            forwardOneJobMailAsTheHeraldUser();

            Result remove = run("apt-get", "remove", "-y", "-q", "herald");
            assertThat(remove.exit()).as(remove.all()).isZero();
            // Remove keeps what the site made: the configuration and the spool with its records.
            assertThat(Path.of("/etc/herald/herald.yaml")).exists();
            assertThat(Path.of(SPOOL)).isDirectory();
            assertThat(Path.of("/usr/lib/herald")).doesNotExist();
        } finally {
            Result purge = run("apt-get", "purge", "-y", "-q", "herald");
            assertThat(purge.exit()).as(purge.all()).isZero();
        }
        // Purge leaves nothing but the system user (Debian policy: uids are not recycled).
        assertThat(run("dpkg", "-L", "herald").exit()).isNotZero();
        for (String gone : List.of("/usr/lib/herald", "/usr/bin/herald", "/usr/bin/herald-mailprog", "/etc/herald",
                "/var/spool/herald", "/var/lib/herald", "/usr/lib/systemd/system/herald-api.service",
                "/usr/lib/tmpfiles.d/herald.conf", "/etc/tmpfiles.d/herald.conf", "/usr/share/doc/herald")) {
            assertThat(Path.of(gone)).as(gone).doesNotExist();
        }
        assertThat(run("getent", "passwd", "herald").exit()).isZero();
        say("passed: the .deb installed, ran as herald (version, on its CDS archive; config, a forwarder pass to SQS) and purged clean");
    }

    private void checkTheInstalledFiles() throws Exception {
        assertThat(Path.of("/usr/bin/herald")).isSymbolicLink();
        assertThat(Path.of("/usr/bin/herald-mailprog")).isSymbolicLink();
        assertThat(Path.of("/usr/lib/herald/runtime/bin/java")).isExecutable();
        assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", "herald").out()).contains("/etc/herald/herald.yaml");
        assertThat(stat("/etc/herald/herald.yaml")).isEqualTo("640 root herald");
        assertThat(run("getent", "passwd", "herald").out()).contains(":/var/lib/herald:/usr/sbin/nologin");
        String owner = run("getent", "passwd", "slurm").exit() == 0 ? "slurm" : "root";
        for (String d : List.of("", "/tmp", "/new", "/failed")) {
            assertThat(stat(SPOOL + d)).as(SPOOL + d).isEqualTo("2770 " + owner + " herald");
        }
        assertThat(stat("/var/lib/herald")).isEqualTo("750 herald herald");
        for (String unit : List.of("herald-mailprog-forward", "herald-telegram-bot", "herald-api", "herald-pipeline",
                "herald-serve")) {
            assertThat(Files.readString(Path.of("/usr/lib/systemd/system/" + unit + ".service")))
                    .contains("User=herald", "SuccessExitStatus=143", "ProtectSystem=strict", "NoNewPrivileges=true");
        }
    }

    private void forwardOneJobMailAsTheHeraldUser() throws Exception {
        Result version = asHerald("herald", "--version");
        assertThat(version.exit()).as(version.all()).isZero();
        assertThat(version.out()).startsWith("Herald " + VERSION).contains("commit ", ", built ");
        assertThat(asHerald("herald", "mailprog", "flush", "-V").out()).startsWith("Herald " + VERSION);
        // -Xshare:on makes a JVM that cannot map the shipped class-data archive fail instead of going on without it.
        Result shared = asHerald("env", "HERALD_JAVA_OPTS=-Xshare:on", "herald", "--version");
        assertThat(shared.exit()).as("the archive works where the .deb put it: " + shared.all()).isZero();

        SQSRestServer sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        try (SqsClient client = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + sqs.waitUntilStarted().localAddress().getPort()))
                .region(Region.US_EAST_1).httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            String queueUrl = client.createQueue(b -> b.queueName("herald-install")).queueUrl();
            client.createQueue(b -> b.queueName("herald-install-dlq"));

            // A configuration the herald user can read, outside its home (ProtectHome-like).
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = Files.writeString(dir.resolve("herald.yaml"), """
                    sqs:
                      endpoint: http://127.0.0.1:%d
                      queues: [herald-install]
                    mailprog:
                      spoolDir: %s
                      sacct: ""
                    """.formatted(sqs.waitUntilStarted().localAddress().getPort(), SPOOL));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

            Result check = asHerald("herald", "config", "--config", config.toString());
            assertThat(check.exit()).as(check.all()).isZero();

            // slurmctld's side: the installed capture script, as the spool's owner (SlurmUser), no PATH.
            String owner = stat(SPOOL).split(" ")[1];
            Result capture = run("runuser", "-u", owner, "--", "env", "-i", "SLURM_JOB_ID=4242",
                    "SLURM_JOB_USER=alice", "SLURM_JOB_MAIL_TYPE=Ended", "/usr/bin/herald-mailprog", "-s",
                    "Slurm Job_id=4242 Name=install-test Ended, Run time 00:00:01, COMPLETED, ExitCode 0",
                    "mailto:alice@example.org");
            assertThat(capture.exit()).as(capture.all()).isZero();

            Result flush = asHerald("herald", "mailprog", "flush", "--config", config.toString());
            assertThat(flush.exit()).as(flush.all()).isZero();
            assertThat(flush.out()).contains("sent 1 spool record(s)");

            List<Message> got = client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)).messages();
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().body()).contains("alice@example.org", "4242");
        } finally {
            sqs.stopAndWait();
        }
    }

    @Test
    void theRpmListsItsFilesAndItsDigestsCheck() throws Exception {
        assumeTrue(run("sh", "-c", "command -v rpm").exit() == 0 && Files.exists(RPM),
                () -> say("skipped: no rpm tool or no .rpm (it needs rpmbuild: apt-get install rpm)"));

        Result list = run("rpm", "-qpl", RPM.toString());
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.out().lines()).contains("/usr/bin/herald", "/usr/bin/herald-mailprog",
                "/usr/lib/herald/bin/herald", "/usr/lib/herald/lib/herald.jar", "/usr/lib/herald/lib/herald.jsa", "/usr/lib/herald/runtime/bin/java",
                "/etc/herald/herald.yaml", "/usr/lib/systemd/system/herald-mailprog-forward.service",
                "/usr/lib/tmpfiles.d/herald.conf");
        Result config = run("rpm", "-qpc", RPM.toString());
        assertThat(config.out().lines()).contains("/etc/herald/herald.yaml");
        Result digests = run("rpm", "-K", RPM.toString());
        assertThat(digests.exit()).as(digests.all()).isZero();
        assertThat(digests.out()).contains("digests OK");
        say("passed: the .rpm lists its files and its digests check");
    }

    @Test
    void theTarballRunsFromAnyDirectoryThroughASymlink() throws Exception {
        assertThat(TARBALL).exists();
        Result unpack = run("tar", "-xzf", TARBALL.toString(), "-C", dir.toString());
        assertThat(unpack.exit()).as(unpack.all()).isZero();
        Path home = dir.resolve("herald-" + VERSION);
        assertThat(home.resolve("bin/herald")).isExecutable();
        assertThat(home.resolve("bin/herald-mailprog")).isExecutable();
        assertThat(Files.readString(home.resolve("bin/herald-mailprog"))).contains("SPOOL=" + SPOOL);
        assertThat(home.resolve("LICENSE")).content().contains("Apache License");
        Path link = Files.createSymbolicLink(dir.resolve("herald-link"), home.resolve("bin/herald"));

        Result version = new ProcessRun(List.of("env", "-i", "PATH=/usr/bin:/bin", link.toString(), "--version"),
                Path.of("/")).run();

        assertThat(version.exit()).as(version.all()).isZero();
        assertThat(version.out()).startsWith("Herald " + VERSION);
        // The class-data archive built at package time still fits the unpacked, moved image: with -Xshare:on
        // the JVM fails rather than run without it.
        assertThat(home.resolve("lib/herald.jsa")).isNotEmptyFile();
        Result shared = new ProcessRun(List.of("env", "-i", "PATH=/usr/bin:/bin", "HERALD_JAVA_OPTS=-Xshare:on",
                link.toString(), "--version"), Path.of("/")).run();
        assertThat(shared.exit()).as(shared.all()).isZero();
        assertThat(shared.all()).doesNotContain("[cds]", "warning");
        say("passed: the tarball runs from / through a symlink with an empty environment, on its CDS archive");
    }

    private static boolean canInstall() throws Exception {
        return run("id", "-u").out().strip().equals("0") && run("sh", "-c", "command -v apt-get").exit() == 0;
    }

    private static String stat(String path) throws Exception {
        return run("stat", "-c", "%a %U %G", path).out().strip();
    }

    /** As the service user, with nothing from this JVM's environment (systemd gives little more). */
    private Result asHerald(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "herald", "--", "env", "-i", "PATH=/usr/bin:/bin"));
        all.addAll(List.of(command));
        return new ProcessRun(all, Path.of("/")).run();
    }

    private static Result run(String... command) throws Exception {
        return new ProcessRun(List.of(command), Path.of("/")).run();
    }

    private static String say(String line) {
        System.out.println("herald packaging: " + line);
        return line;
    }

    record Result(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    /** One child process, its output captured; a process that hangs fails the test instead of the build. */
    record ProcessRun(List<String> command, Path workingDirectory) {
        Result run() throws IOException, InterruptedException {
            Path out = Files.createTempFile("herald-it-out", ".txt");
            Path err = Files.createTempFile("herald-it-err", ".txt");
            try {
                Process p = new ProcessBuilder(command).directory(workingDirectory.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("did not end within 5 minutes: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }
}
