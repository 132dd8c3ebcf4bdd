package io.herald.mailprog.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlurmValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"UNLIMITED", "Partition_Limit", "INFINITE", "", "365-00:00:00"})
    void aJobWithoutALimitOfItsOwnIsRecognisedHoweverSacctWritesIt(String timelimit) {
        // 365-00:00:00: the year sched/backfill plans an unlimited job at, which accounting then keeps (seen on a real
        // Slurm 22.05 node under load, RealSlurmClusterTest).
        assertThat(SlurmValues.noTimeLimit(timelimit)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00:15:00", "1-00:00:00", "364-23:59:59", "366-00:00:00"})
    void aLimitTheJobAskedForIsALimit(String timelimit) {
        assertThat(SlurmValues.noTimeLimit(timelimit)).isFalse();
    }
}
