package io.herald.mailprog.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.mailprog.slurm.JobStats.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayTallyTest {

    @Test
    void tasksAreCountedByStateAndTheOnesThatDidNotCompleteAreNamedByExitCode() {
        List<TaskOutcome> tasks = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String state = i == 4 || i == 7 ? "FAILED" : i == 11 ? "TIMEOUT" : "COMPLETED";
            tasks.add(new TaskOutcome(Integer.toString(i), 1, state, i == 4 || i == 7 ? "3:0" : "0:0"));
        }

        assertThat(ArrayTally.describe(tasks))
                .isEqualTo("12 tasks: 9 COMPLETED, 2 FAILED (exit 3: tasks 4, 7), 1 TIMEOUT (task 11)");
    }

    @Test
    void differentExitCodesAndSignalsAreToldApartAndPendingRangesCountEveryTask() {
        List<TaskOutcome> tasks = List.of(
                new TaskOutcome("1", 1, "FAILED", "1:0"),
                new TaskOutcome("2", 1, "FAILED", "0:9"),
                new TaskOutcome("3", 1, "FAILED", "1:0"),
                new TaskOutcome("[4-6]", 3, "PENDING", null));

        assertThat(ArrayTally.describe(tasks))
                .isEqualTo("6 tasks: 3 FAILED (exit 1: tasks 1, 3; signal 9: task 2), 3 PENDING (tasks 4-6)");
    }

    @Test
    void manyFailuresAreNamedUpToALimitAndThenCounted() {
        List<TaskOutcome> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(new TaskOutcome(Integer.toString(i), 1, "FAILED", "2:0"));
        }

        assertThat(ArrayTally.describe(tasks))
                .isEqualTo("20 tasks: 20 FAILED (exit 2: tasks 0, 1, 2, 3, 4, 5, 6, 7 and 12 more)");
    }
}
