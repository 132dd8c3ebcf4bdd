package io.herald.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herald.core.testing.ShippedUnit;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

/**
 * The packages as a site gets them. The .deb is installed on this machine with apt-get, used as the {@code herald} user
 * with an empty environment (as systemd or cron would run it), and purged; the .rpm is inspected with rpm and installed
 * with rpm into a private root (no RPM-based system here); the tarball is unpacked and run from elsewhere through a
 * symlink. The forwarder sends to a real ElasticMQ on 127.0.0.1; {@code herald serve} runs as its installed unit says,
 * on its own embedded engines. Installing needs root and apt-get: without them the .deb test is skipped, saying so in
 * one line.
 */
class PackageInstallIT {

    private static final String VERSION = System.getProperty("herald.version");
    private static final Path DEB = Path.of(System.getProperty("herald.deb"));
    private static final Path RPM = Path.of(System.getProperty("herald.rpm"));
    private static final Path TARBALL = Path.of(System.getProperty("herald.tarball"));
    private static final String SPOOL = "/var/spool/herald/mailprog";
    /**
     * JVM options (after bin/herald's own) that prove the class-data archive is used in full: -Xshare:on fails a JVM
     * that cannot map it, -Xlog:cds=warning undoes bin/herald's silence so a partly refused archive (options differing
     * from the dump's) shows, and class+load says where each class came from.
     */
    private static final String ARCHIVE_CHECK = "-Xshare:on -Xlog:cds=warning -Xlog:class+load=info";

    @TempDir
    Path dir;

    @Test
    void theDebInstallsRunsAsTheHeraldUserAndPurgesToNothing() throws Exception {
        assumeTrue(canInstall(), () -> say("skipped: installing the .deb needs root and apt-get"));
        assumeTrue(
                run("dpkg-query", "-W", "-f=${Status}", "herald").out().contains("not-installed")
                        || run("dpkg-query", "-W", "herald").exit() != 0,
                () -> say("skipped: a herald package is already installed here; not touching it"));
        assertThat(DEB).exists();

        Result install = run("apt-get", "install", "-y", "-q", "--no-install-recommends", DEB.toString());
        try {
            assertThat(install.exit()).as(install.all()).isZero();
            checkTheInstalledFiles();
            forwardOneJobMailAsTheHeraldUser();
            serveAsItsInstalledUnitRunsIt();

            Result remove = run("apt-get", "remove", "-y", "-q", "herald");
            assertThat(remove.exit()).as(remove.all()).isZero();
            // Remove keeps what the site made: the configuration and the spool with its records.
            assertThat(Path.of("/etc/herald/herald.yaml")).exists();
            assertThat(Path.of(SPOOL)).isDirectory();
            assertThat(Path.of("/var/lib/herald/FORMAT"))
                    .as("serve's stored queues and statuses")
                    .exists();
            assertThat(Path.of("/usr/lib/herald")).doesNotExist();
        } finally {
            Result purge = run("apt-get", "purge", "-y", "-q", "herald");
            assertThat(purge.exit()).as(purge.all()).isZero();
        }
        // Purge leaves nothing but the system user (Debian policy: uids are not recycled).
        assertThat(run("dpkg", "-L", "herald").exit()).isNotZero();
        for (String gone : List.of(
                "/usr/lib/herald",
                "/usr/bin/herald",
                "/usr/bin/herald-mailprog",
                "/etc/herald",
                "/var/spool/herald",
                "/var/lib/herald",
                "/usr/lib/systemd/system/herald-api.service",
                "/usr/lib/tmpfiles.d/herald.conf",
                "/etc/tmpfiles.d/herald.conf",
                "/usr/share/doc/herald")) {
            assertThat(Path.of(gone)).as(gone).doesNotExist();
        }
        assertThat(run("getent", "passwd", "herald").exit()).isZero();
        say("passed: the .deb installed, ran as herald (version, on its CDS archive; config, a forwarder pass to SQS;"
                + " serve as its unit runs it, a message delivered) and purged clean");
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
        for (String unit : List.of(
                "herald-mailprog-forward", "herald-telegram-bot", "herald-api", "herald-pipeline", "herald-serve")) {
            assertThat(Files.readString(Path.of("/usr/lib/systemd/system/" + unit + ".service")))
                    .contains("User=herald", "SuccessExitStatus=143", "ProtectSystem=strict", "NoNewPrivileges=true");
        }
    }

    private void forwardOneJobMailAsTheHeraldUser() throws Exception {
        Result version = asHerald("herald", "--version");
        assertThat(version.exit()).as(version.all()).isZero();
        assertThat(version.out()).startsWith("Herald " + VERSION).contains("commit ", ", built ");
        assertThat(asHerald("herald", "mailprog", "flush", "-V").out()).startsWith("Herald " + VERSION);
        assertRunsOnItsArchive(asHerald("env", "HERALD_JAVA_OPTS=" + ARCHIVE_CHECK, "herald", "--version"));

        SQSRestServer sqs = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .start();
        try (SqsClient client = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:"
                        + sqs.waitUntilStarted().localAddress().getPort()))
                .region(Region.US_EAST_1)
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .build()) {
            String queueUrl =
                    client.createQueue(b -> b.queueName("herald-install")).queueUrl();
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
                    """.formatted(
                            sqs.waitUntilStarted().localAddress().getPort(), SPOOL));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

            Result check = asHerald("herald", "config", "--config", config.toString());
            assertThat(check.exit()).as(check.all()).isZero();

            // slurmctld's side: the installed capture script, as the spool's owner (SlurmUser), no PATH.
            String owner = stat(SPOOL).split(" ")[1];
            Result capture = run(
                    "runuser",
                    "-u",
                    owner,
                    "--",
                    "env",
                    "-i",
                    "SLURM_JOB_ID=4242",
                    "SLURM_JOB_USER=alice",
                    "SLURM_JOB_MAIL_TYPE=Ended",
                    "/usr/bin/herald-mailprog",
                    "-s",
                    "Slurm Job_id=4242 Name=install-test Ended, Run time 00:00:01, COMPLETED, ExitCode 0",
                    "mailto:alice@example.org");
            assertThat(capture.exit()).as(capture.all()).isZero();

            Result flush = asHerald("herald", "mailprog", "flush", "--config", config.toString());
            assertThat(flush.exit()).as(flush.all()).isZero();
            assertThat(flush.out()).contains("sent 1 spool record(s)");

            List<Message> got = client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5))
                    .messages();
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().body()).contains("alice@example.org", "4242");
        } finally {
            sqs.stopAndWait();
        }
    }

    /**
     * docs/deploy.md's single-host mode without systemd: the installed herald-serve.service's ExecStart as its User=,
     * with its Environment= and UMask= and what systemd adds for a User= service, in /, nothing else inherited; data in
     * /var/lib/herald. The site's configuration goes where the unit's HERALD_CONFIG points.
     */
    private void serveAsItsInstalledUnitRunsIt() throws Exception {
        ShippedUnit unit = ShippedUnit.parse(Files.readString(Path.of("/usr/lib/systemd/system/herald-serve.service")));
        assertThat(unit.execStart()).containsExactly("/usr/bin/herald", "serve");
        int api = freePort();
        // Written into the installed file, which keeps the package's owner and mode (root:herald 0640).
        Files.writeString(Path.of(unit.environment().get("HERALD_CONFIG")), """
                api:
                  host: 127.0.0.1
                  port: %d
                  open: true
                pipeline:
                  adminPort: -1
                providers:
                  outbox:
                    enabled: true
                    dir: /var/lib/herald/outbox
                local:
                  sqsPort: %d
                  dynamodbPort: %d
                """.formatted(api, freePort(), freePort()));
        assertThat(stat("/etc/herald/herald.yaml")).isEqualTo("640 root herald");

        List<String> argv = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=" + unit.user(),
                "--regid=" + unit.user(),
                "--init-groups",
                "env",
                "-i",
                "PATH=/usr/bin:/bin"));
        unit.environment().forEach((k, v) -> argv.add(k + "=" + v));
        ShippedUnit.userEnvironment(
                        unit.user(), run("getent", "passwd", unit.user()).out())
                .forEach((k, v) -> argv.add(k + "=" + v));
        // setpriv cannot set a umask: sh sets the unit's and execs, so the process kept is serve's own JVM.
        argv.addAll(List.of("/bin/sh", "-c", "umask " + unit.umask() + " && exec \"$@\"", "sh"));
        argv.addAll(unit.execStart());
        Path log = dir.resolve("serve.log");
        Process serve = new ProcessBuilder(argv)
                .directory(new File("/"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        URI base = URI.create("http://127.0.0.1:" + api);
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            await("serve answers /readyz")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !serve.isAlive() || status(http, base.resolve("/readyz")) == 200);
            assertThat(serve.isAlive())
                    .as("serve exited early: " + Files.readString(log))
                    .isTrue();

            HttpResponse<String> sent = http.send(
                    HttpRequest.newBuilder(base.resolve("/email/send"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                            {"email":{"fromEmail":"herald@example.org","toEmail":"alice@example.org",\
                            "subject":"installed serve","body":"from the .deb"}}"""))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            Matcher id =
                    Pattern.compile("\\{\"messageId\":\"([0-9a-f-]{36})\"}").matcher(sent.body());
            assertThat(id.matches()).as(sent.body()).isTrue();

            URI status = base.resolve("/v1/notifications/" + id.group(1));
            await("the message's status to be delivered")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
                            .body()
                            .contains("delivered"));
        } finally {
            // SIGTERM, as systemd stops it; its unit counts 143 (128 + SIGTERM) as success.
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("serve did not stop within 60 s of SIGTERM: " + Files.readString(log));
            }
        }
        assertThat(serve.exitValue()).as(Files.readString(log)).isIn(0, 143);
        // Delivered by the outbox provider, written as the herald user under its data directory.
        try (Stream<Path> mails = Files.list(Path.of("/var/lib/herald/outbox"))) {
            List<Path> all = mails.toList();
            assertThat(all).hasSize(1);
            assertThat(Files.readString(all.getFirst())).contains("installed serve", "alice@example.org");
            assertThat(stat(all.getFirst().toString())).endsWith(" herald herald");
        }
        assertThat(stat("/var/lib/herald/FORMAT")).endsWith(" herald herald");
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * The command exited 0 on the shipped class-data archive, the archive accepted whole (no CDS error or warning) and
     * holding Herald's and picocli's classes (picocli's class files are of Java 5, which the dump once left out).
     */
    private static void assertRunsOnItsArchive(Result run) {
        assertThat(run.exit())
                .as("the archive works where it was installed: " + run.all())
                .isZero();
        assertThat(run.all()
                        .lines()
                        .filter(l -> l.contains("][cds") || l.contains("][aot"))
                        .toList())
                .as("the JVM's complaints about the archive")
                .isEmpty();
        assertThat(run.out())
                .contains(
                        "io.herald.cli.Herald source: shared objects file",
                        "picocli.CommandLine source: shared objects file");
    }

    @Test
    void theRpmListsItsFilesAndItsDigestsCheck() throws Exception {
        assumeTrue(
                run("sh", "-c", "command -v rpm").exit() == 0 && Files.exists(RPM),
                () -> say("skipped: no rpm tool or no .rpm (it needs rpmbuild: apt-get install rpm)"));

        Result list = run("rpm", "-qpl", RPM.toString());
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.out().lines())
                .contains(
                        "/usr/bin/herald",
                        "/usr/bin/herald-mailprog",
                        "/usr/lib/herald/bin/herald",
                        "/usr/lib/herald/lib/herald.jar",
                        "/usr/lib/herald/lib/herald.jsa",
                        "/usr/lib/herald/runtime/bin/java",
                        "/etc/herald/herald.yaml",
                        "/usr/lib/systemd/system/herald-mailprog-forward.service",
                        "/usr/lib/tmpfiles.d/herald.conf");
        Result config = run("rpm", "-qpc", RPM.toString());
        assertThat(config.out().lines()).contains("/etc/herald/herald.yaml");
        Result digests = run("rpm", "-K", RPM.toString());
        assertThat(digests.exit()).as(digests.all()).isZero();
        assertThat(digests.out()).contains("digests OK");
        say("passed: the .rpm lists its files and its digests check");
    }

    /**
     * rpm itself installs the .rpm into a private root (--root; --nodeps since that root has no glibc package,
     * --noscripts since its scriptlets would run chrooted there, with no shell). Its payload must land where the .deb's
     * does, with the same modes and contents, and the installed launcher must run on its archive there. The install
     * scriptlets then run against that root with the system tools wrapped to act on it: the user and group, the
     * directories of the tmpfiles.d entries. Not checked here (no RPM-based system): RHEL's own shadow-utils and
     * systemd (Debian's of the same upstream stand in), the postinstall's branch for a slurm user (it writes
     * /etc/tmpfiles.d on the host), systemctl daemon-reload and stop (no systemd running), the preremove scriptlet, and
     * dependency resolution against RHEL's packages.
     */
    @Test
    void theRpmInstallsIntoAPrivateRootWhereTheDebPutsItsFiles() throws Exception {
        assumeTrue(
                run("sh", "-c", "command -v rpm").exit() == 0 && Files.exists(RPM),
                () -> say("skipped: no rpm tool or no .rpm (it needs rpmbuild: apt-get install rpm)"));
        Path root = dir.resolve("rpm-root");
        Path deb = dir.resolve("deb-root");
        Files.createDirectories(root);
        Files.createDirectories(deb);
        Result install = run("rpm", "--root", root.toString(), "--nodeps", "--noscripts", "-i", RPM.toString());
        assertThat(install.exit()).as(install.all()).isZero();
        Result unpack = run("dpkg-deb", "-x", DEB.toString(), deb.toString());
        assertThat(unpack.exit()).as(unpack.all()).isZero();

        // The licence is usr/share/doc/herald/copyright in the .deb (Debian policy), LICENSE in the .rpm; rpm keeps
        // its database under the root too (Debian's rpm: root/.rpmdb). Everything else is the same set of paths.
        Map<String, String> fromRpm = payload(root, Set.of("root/.rpmdb", "usr/lib/sysimage/rpm", "var/lib/rpm"));
        Map<String, String> fromDeb = payload(deb, Set.of());
        assertThat(fromRpm.remove("usr/share/doc/herald/LICENSE")).isNotNull();
        assertThat(fromDeb.remove("usr/share/doc/herald/copyright")).isNotNull();
        assertThat(fromRpm.keySet()).containsExactlyInAnyOrderElementsOf(fromDeb.keySet());
        for (String path : List.of(
                "usr/bin/herald",
                "usr/bin/herald-mailprog",
                "usr/lib/herald/bin/herald",
                "usr/lib/herald/runtime/bin/java",
                "usr/lib/herald/lib/herald.jar",
                "usr/lib/herald/lib/herald.jsa",
                "etc/herald/herald.yaml",
                "usr/lib/systemd/system/herald-serve.service")) {
            assertThat(fromRpm.get(path)).as(path).isEqualTo(fromDeb.get(path));
        }
        assertThat(stat(root.resolve("etc/herald/herald.yaml").toString())).startsWith("640 ");
        assertThat(stat(root.resolve("etc/herald").toString())).startsWith("750 ");

        // The launcher at its installed path inside the root, on the archive that came with it.
        assertRunsOnItsArchive(new ProcessRun(
                        List.of(
                                "env",
                                "-i",
                                "PATH=/usr/bin:/bin",
                                "HERALD_JAVA_OPTS=" + ARCHIVE_CHECK,
                                root.resolve("usr/lib/herald/bin/herald").toString(),
                                "--version"),
                        Path.of("/"))
                .run());

        // The scriptlets as shipped are the sources', and valid sh.
        String scripts = run("rpm", "-qp", "--scripts", RPM.toString()).out();
        for (String scriptlet : List.of("preinstall", "postinstall", "preremove")) {
            Path source = Path.of("src/rpm/" + scriptlet + ".sh");
            assertThat(scripts).contains(Files.readString(source).strip());
            Result syntax = run("sh", "-n", source.toAbsolutePath().toString());
            assertThat(syntax.exit()).as(scriptlet + ": " + syntax.all()).isZero();
        }
        // preinstall and postinstall run against the root as rpm would run them in it: the tools that act on a
        // system are wrapped to act on the root (getent reads its files, groupadd/useradd take --prefix,
        // systemd-tmpfiles --root). Twice, as an upgrade runs them again.
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
        Path tools = Files.createDirectories(dir.resolve("root-tools"));
        wrapper(tools, "getent", "grep \"^$2:\" \"$ROOT/etc/$1\"");
        wrapper(tools, "groupadd", "exec /usr/sbin/groupadd --prefix \"$ROOT\" \"$@\"");
        wrapper(tools, "useradd", "exec /usr/sbin/useradd --prefix \"$ROOT\" \"$@\"");
        wrapper(tools, "systemd-tmpfiles", "exec /usr/bin/systemd-tmpfiles --root=\"$ROOT\" \"$@\"");
        for (int pass = 1; pass <= 2; pass++) {
            for (String scriptlet : List.of("preinstall", "postinstall")) {
                Result ran = run(
                        "env",
                        "-i",
                        "PATH=" + tools + ":/usr/sbin:/usr/bin:/bin",
                        "ROOT=" + root,
                        "sh",
                        Path.of("src/rpm/" + scriptlet + ".sh").toAbsolutePath().toString(),
                        "1");
                assertThat(ran.exit())
                        .as(scriptlet + " pass " + pass + ": " + ran.all())
                        .isZero();
            }
        }
        List<String> heralds = Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("herald:"))
                .toList();
        assertThat(heralds).hasSize(1);
        assertThat(heralds.getFirst()).endsWith(":/var/lib/herald:/sbin/nologin");
        String[] ids = heralds.getFirst().split(":");
        assertThat(statNumeric(root.resolve("var/lib/herald"))).isEqualTo("750 " + ids[2] + " " + ids[3]);
        for (String d : List.of("", "/tmp", "/new", "/failed")) {
            assertThat(statNumeric(root.resolve("var/spool/herald/mailprog" + d)))
                    .as(SPOOL + d)
                    .isEqualTo("2770 0 " + ids[3]);
        }
        say("passed: the .rpm installed into a private root: the .deb's paths, modes and contents, its archive used,"
                + " its tmpfiles.d entries applied");
    }

    /** Every file and symlink under root (not directories), relative, with mode and content digest or target. */
    private static Map<String, String> payload(Path root, Set<String> skip) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String rel = root.relativize(p).toString();
                if (skip.stream().anyMatch(rel::startsWith) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    entries.put(rel, "-> " + Files.readSymbolicLink(p));
                } else {
                    entries.put(
                            rel,
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                                    + Files.size(p) + " "
                                    + HexFormat.of()
                                            .formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(Files.readAllBytes(p))));
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    private static void wrapper(Path dir, String name, String body) throws IOException {
        Path script = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String statNumeric(Path path) throws Exception {
        return run("stat", "-c", "%a %u %g", path.toString()).out().strip();
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

        Result version = new ProcessRun(
                        List.of("env", "-i", "PATH=/usr/bin:/bin", link.toString(), "--version"), Path.of("/"))
                .run();

        assertThat(version.exit()).as(version.all()).isZero();
        assertThat(version.out()).startsWith("Herald " + VERSION);
        // The class-data archive built at package time still fits the unpacked, moved image: with -Xshare:on
        // the JVM fails rather than run without it.
        assertThat(home.resolve("lib/herald.jsa")).isNotEmptyFile();
        assertRunsOnItsArchive(new ProcessRun(
                        List.of(
                                "env",
                                "-i",
                                "PATH=/usr/bin:/bin",
                                "HERALD_JAVA_OPTS=" + ARCHIVE_CHECK,
                                link.toString(),
                                "--version"),
                        Path.of("/"))
                .run());
        say("passed: the tarball runs from / through a symlink with an empty environment, on its CDS archive");
    }

    private static boolean canInstall() throws Exception {
        return run("id", "-u").out().strip().equals("0")
                && run("sh", "-c", "command -v apt-get").exit() == 0;
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
                Process p = new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("did not end within 5 minutes: " + command);
                }
                return new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }
}
