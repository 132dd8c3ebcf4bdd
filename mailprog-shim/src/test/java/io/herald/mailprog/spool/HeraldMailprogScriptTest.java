package io.herald.mailprog.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.mailprog.Shim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture script itself, run under dash with only what slurmctld gives it. */
class HeraldMailprogScriptTest {

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void capturesArgvAndEnvironmentByteForByteIncludingNewlinesAndNonUtf8() throws Exception {
        Shim shim = Shim.install(dir, dir.resolve("spool"));
        byte[] latin1Name = concat(utf8("SLURM_JOB_NAME=caf"), new byte[] {(byte) 0xE9, '\n', 'x', '\n'});
        List<byte[]> args = List.of(
                utf8("-s"),
                concat(utf8("Slurm Job_id=7 Name=caf"), new byte[] {(byte) 0xE9, ' ', 'E', 'n', 'd', 'e', 'd'}),
                utf8("-oFoo"));
        List<byte[]> env = List.of(
                utf8("SLURM_JOB_ID=7"),
                latin1Name,
                utf8("SLURM_JOB_COMMENT=a\nb=c\t\"'$(x)`y`"),
                utf8("SLURM_JOB_EMPTY="));

        Shim.Result result = shim.runBytes(args, env);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(shim.records()).hasSize(1);
        assertThat(shim.temps()).isEmpty();
        SpoolRecord record = new Spool(shim.spool()).read(shim.records().getFirst());
        assertThat(record.argv()).hasSize(4);
        assertThat(record.argv().subList(1, 4))
                .zipSatisfy(args, (got, sent) -> assertThat(got).isEqualTo(sent));
        assertThat(record.environment()).hasSize(env.size());
        assertThat(record.environment())
                .zipSatisfy(env, (got, sent) -> assertThat(got).isEqualTo(sent));
        assertThat(record.notUtf8()).containsExactly("argv[2]", "SLURM_JOB_NAME");
    }

    @Test
    void theRecordCarriesCaptureTimeAndUidInItsFileAttributes() throws Exception {
        Shim shim = Shim.install(dir, dir.resolve("spool"));
        Instant before = Instant.now().minusSeconds(2);

        shim.run(List.of("-s", "Slurm Job_id=1 Name=a Began", "alice"), List.of("SLURM_JOB_ID=1"));

        SpoolRecord record = new Spool(shim.spool()).read(shim.records().getFirst());
        assertThat(record.capturedAt()).isBetween(before, Instant.now().plusSeconds(2));
        assertThat(record.uid()).isEqualTo(Files.getAttribute(dir, "unix:uid"));
    }

    @Test
    void anEmptyArgumentListIsStillCapturedForTheForwarderToJudge() throws Exception {
        Shim shim = Shim.install(dir, dir.resolve("spool"));

        Shim.Result result = shim.run(List.of(), List.of());

        assertThat(result.exitCode()).isZero();
        SpoolRecord record = new Spool(shim.spool()).read(shim.records().getFirst());
        assertThat(record.argc()).isEqualTo(1);
        assertThat(record.environment()).isEmpty();
    }

    @Test
    void aThousandConcurrentInvocationsLeaveAThousandCompleteRecords() throws Exception {
        Shim shim = Shim.install(dir, dir.resolve("spool"));
        Path driver = dir.resolve("burst.sh");
        // Started from one shell so all 1,000 really overlap (slurmctld itself caps at 64).
        Files.writeString(driver, """
                i=0
                while [ $i -lt 1000 ]; do
                  ( /usr/bin/env -i SLURM_JOB_ID=$i "SLURM_JOB_NAME=job $i" %1$s '%2$s' -s "Slurm Job_id=$i \
                Name=job $i Ended" "user$i@example.org"; echo "rc=$?" ) &
                  i=$((i + 1))
                done
                wait
                """.formatted(Shim.DASH, shim.script()));
        Process p = new ProcessBuilder(Shim.DASH.toString(), driver.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();

        assertThat(out.lines().filter(l -> l.equals("rc=0")).count()).as(out).isEqualTo(1000);
        List<Path> records = shim.records();
        assertThat(records).hasSize(1000);
        assertThat(shim.temps()).isEmpty();
        Spool spool = new Spool(shim.spool());
        Set<String> seen = new HashSet<>();
        for (Path file : records) {
            SpoolRecord r = spool.read(file);
            String id = r.env().get("SLURM_JOB_ID");
            assertThat(r.env()).containsEntry("SLURM_JOB_NAME", "job " + id).hasSize(2);
            assertThat(r.arg(2)).contains("Slurm Job_id=" + id + " Name=job " + id + " Ended");
            assertThat(r.arg(3)).contains("user" + id + "@example.org");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void aMissingSpoolDirectoryFailsWithOneLineForSlurmctldsLog() throws Exception {
        Shim shim = Shim.install(dir, dir.resolve("spool"));
        Files.delete(dir.resolve("spool/tmp"));

        Shim.Result result = shim.run(List.of("-s", "Slurm Job_id=1 Name=a Began", "alice"), List.of("SLURM_JOB_ID=1"));

        assertThat(result.exitCode()).isEqualTo(75);
        assertThat(result.stderr().strip())
                .hasLineCount(1)
                .startsWith("herald-mailprog: job mail NOT spooled")
                .contains("does not exist");
        assertThat(shim.records()).isEmpty();
    }

    @Test
    void aFullSpoolFailsWithOneLineAndLeavesNoPartialRecord() throws Exception {
        IsolatedMount mount = isolatedMount();
        Shim.Result result =
                mount.run("size=16k", "/bin/dd if=/dev/zero of=\"$M/fill\" bs=1k count=64 2>/dev/null", false);

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(75);
        assertThat(result.stderr().strip())
                .hasLineCount(1)
                .startsWith("herald-mailprog: job mail NOT spooled")
                .containsAnyOf("No space left on device", "file system full");
        assertThat(result.stdout()).contains("tmp:").contains("new:").doesNotContain("herald-tmp-leftover");
        assertThat(mount.listing(result, "tmp")).isEmpty();
        assertThat(mount.listing(result, "new")).isEmpty();
    }

    @Test
    void aReadOnlySpoolFailsWithOneLineAndLeavesNoRecord() throws Exception {
        IsolatedMount mount = isolatedMount();
        Shim.Result result = mount.run("size=1m", ":", true);

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(75);
        assertThat(result.stderr().strip())
                .hasLineCount(1)
                .startsWith("herald-mailprog: job mail NOT spooled")
                .contains("read-only");
        assertThat(mount.listing(result, "tmp")).isEmpty();
        assertThat(mount.listing(result, "new")).isEmpty();
    }

    /**
     * A small tmpfs as the spool, mounted in a private mount namespace (unshare -m) so nothing is left mounted whatever
     * happens. Needs root (or user namespaces), which CI has; skipped otherwise.
     */
    private IsolatedMount isolatedMount() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/unshare", "-m", "/bin/true")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(
                probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "unshare -m is not permitted here: cannot mount a small or read-only file system");
        Path spool = Files.createDirectories(dir.resolve("mnt"));
        return new IsolatedMount(spool, Shim.install(dir, spool));
    }

    private record IsolatedMount(Path spool, Shim shim) {

        /**
         * Mounts, prepares ({@code $M} is the mount point), optionally remounts read-only, runs the shim, lists the
         * spool.
         */
        Shim.Result run(String options, String prepare, boolean readOnly) throws Exception {
            String launcher = shim.launcher(
                    List.of("-s".getBytes(), "Slurm Job_id=9 Name=x Ended".getBytes(), "alice".getBytes()),
                    List.of("SLURM_JOB_ID=9".getBytes()));
            Path launch = spool.getParent().resolve("launch-mounted.sh");
            Files.writeString(launch, launcher);
            Path driver = spool.getParent().resolve("mounted.sh");
            Files.writeString(driver, """
                    M='%1$s'
                    /bin/mount -t tmpfs -o %2$s tmpfs "$M" || exit 99
                    /bin/mkdir "$M/tmp" "$M/new"
                    %3$s
                    %4$s
                    %5$s '%6$s'
                    rc=$?
                    echo "tmp:$(/bin/ls -A "$M/tmp" | /usr/bin/tr '\\n' ' ')"
                    echo "new:$(/bin/ls -A "$M/new" | /usr/bin/tr '\\n' ' ')"
                    exit $rc
                    """.formatted(
                            spool,
                            options,
                            prepare,
                            readOnly ? "/bin/mount -o remount,ro \"$M\" || exit 98" : "",
                            Shim.DASH,
                            launch));
            Files.setPosixFilePermissions(driver, PosixFilePermissions.fromString("rwx------"));
            Process p = new ProcessBuilder("/usr/bin/unshare", "-m", Shim.DASH.toString(), driver.toString()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Shim.Result(p.exitValue(), out, err);
        }

        List<String> listing(Shim.Result result, String dir) {
            String line = result.stdout()
                    .lines()
                    .filter(l -> l.startsWith(dir + ":"))
                    .findFirst()
                    .orElseThrow();
            String rest = line.substring(dir.length() + 1).strip();
            return rest.isEmpty() ? List.of() : new ArrayList<>(List.of(rest.split(" ")));
        }
    }

    @Test
    void abandonedTempFilesMoveToFailedWithAReason() throws Exception {
        Spool spool = new Spool(dir).ensureDirectories();
        Path stale = Files.writeString(dir.resolve("tmp/123.45.abc"), "herald-mailprog 1\0");
        Files.setLastModifiedTime(
                stale, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));

        assertThat(spool.sweepAbandoned(Instant.now())).isEqualTo(1);

        assertThat(dir.resolve("failed/123.45.abc")).exists();
        assertThat(Files.readString(dir.resolve("failed/123.45.abc.reason"))).contains("did not finish");
    }
}
