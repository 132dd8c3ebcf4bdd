package io.herald.slurme2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.testing.ShippedUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real-cluster test's own pieces, on any machine: when it skips, how it reads sacct, the node line it writes and
 * how it reads the forwarder's unit. Inputs are what Slurm 22.05 printed on a real run and the unit the packages ship.
 */
class SlurmE2eHelpersTest {

    @Test
    void skipsInOneLineWithoutRootOrApt() {
        assertThat(SlurmPackages.whyNot("1000", p -> true)).hasValueSatisfying(reason -> {
            assertThat(reason).contains("needs root").contains("uid 1000");
            assertThat(reason.lines()).hasSize(1);
        });
        assertThat(SlurmPackages.whyNot("0", p -> !p.equals(Path.of("/usr/bin/apt-get"))))
                .hasValueSatisfying(
                        reason -> assertThat(reason).contains("apt-get").contains("slurmctld"));
        assertThat(SlurmPackages.whyNot("0", p -> true)).isEmpty();
    }

    @Test
    void readsJobAndStepRowsOfSacct() {
        SacctRows rows = SacctRows.parse("""
                4|4|FAILED|0:9|00:00:01|1|50M|
                4.batch|4.batch|CANCELLED by 0|0:9|00:00:01|1||214400K
                4.extern|4.extern|COMPLETED|0:0|00:00:01|1||1024K
                """);
        assertThat(rows.job("4")).hasValueSatisfying(r -> {
            assertThat(r.baseState()).isEqualTo("FAILED");
            assertThat(r.exitCode()).isEqualTo("0:9");
            assertThat(SacctRows.bytes(r.reqMem())).isEqualTo(50L << 20);
        });
        assertThat(rows.peakRss("4")).hasValue(214400L << 10);
        assertThat(rows.settled()).isTrue();
    }

    @Test
    void anArrayIsSettledOnlyWhenEveryTaskAndItsBatchStepIsFinal() {
        SacctRows running = SacctRows.parse("""
                14|8_1|COMPLETED|0:0|00:00:02|1|100M|
                14.batch|8_1.batch|COMPLETED|0:0|00:00:02|1||3204K
                8|8_3|RUNNING|0:0|00:00:01|1|100M|
                """);
        assertThat(running.settled()).isFalse();
        assertThat(running.jobRows()).extracting(SacctRows.Row::id).containsExactly("8_1", "8_3");
        SacctRows incomplete = SacctRows.parse("""
                9|9|COMPLETED|0:0|00:00:02|1|16?|
                9.batch|9.batch|COMPLETED|0:0|00:00:02|1||3256K
                """);
        assertThat(incomplete.settled())
                .as("sacct 22.05 right after a short job: final state, ReqMem 16?")
                .isFalse();
        SacctRows cancelledWhilePending = SacctRows.parse("11|11|CANCELLED by 0|0:0|00:00:00|1|100M|\n");
        assertThat(cancelledWhilePending.settled())
                .as("a job that never ran has no batch step")
                .isTrue();
    }

    @Test
    void nodeLineIsTheFirstLineOfSlurmdDashCWithMoreCpus() {
        String slurmdC = """
                NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105
                UpTime=0-00:05:05
                """;
        assertThat(LocalSlurmCluster.nodeLine(slurmdC, 16))
                .isEqualTo("NodeName=vm NodeAddr=127.0.0.1 CPUs=16"
                        + " Boards=1 SocketsPerBoard=1 CoresPerSocket=16 ThreadsPerCore=1 RealMemory=24105");
    }

    @Test
    void runsTheForwarderAsTheShippedUnitSays() throws Exception {
        ShippedUnit unit = ShippedUnit.parse(
                Files.readString(Path.of("../packaging/src/main/dist/systemd/herald-mailprog-forward.service")));

        assertThat(unit.user()).isEqualTo("herald");
        assertThat(unit.execStart()).containsExactly("/usr/bin/herald", "mailprog", "forward");
        assertThat(unit.environment()).containsExactly(Map.entry("HERALD_CONFIG", "/etc/herald/herald.yaml"));
        assertThat(unit.umask()).isEqualTo("0027");
        assertThat(ShippedUnit.userEnvironment("herald", "herald:x:999:995::/var/lib/herald:/usr/sbin/nologin\n"))
                .containsOnly(
                        Map.entry("USER", "herald"),
                        Map.entry("LOGNAME", "herald"),
                        Map.entry("HOME", "/var/lib/herald"),
                        Map.entry("SHELL", "/usr/sbin/nologin"));
    }

    @Test
    void aUnitItCannotRunFaithfullyIsAnErrorNamingTheLine() {
        for (String line : List.of(
                "ExecStart=/usr/bin/herald \"mailprog\" forward",
                "Environment=\"A=b c\"",
                "ExecStart=-/usr/bin/herald mailprog forward")) {
            assertThatThrownBy(() -> ShippedUnit.parse("[Service]\nUser=herald\n" + line + "\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith(line);
        }
        assertThatThrownBy(() -> ShippedUnit.parse("[Service]\nExecStart=/usr/bin/herald\n"))
                .hasMessageContaining("User=");
    }
}
