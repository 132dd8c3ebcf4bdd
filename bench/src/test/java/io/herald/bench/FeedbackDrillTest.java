package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The feedback drill's own bookkeeping: who bounces, what each email must end as, its options. */
class FeedbackDrillTest {

    @Test
    void theSeedPicksTheSameBouncingAndComplainingAddressesEveryTime() {
        FeedbackDrill.Population one = FeedbackDrill.Population.of(5000, 2, 0.2, 18);
        FeedbackDrill.Population again = FeedbackDrill.Population.of(5000, 2, 0.2, 18);
        FeedbackDrill.Population other = FeedbackDrill.Population.of(5000, 2, 0.2, 19);

        assertThat(one.addresses()).hasSize(5000).doesNotHaveDuplicates();
        assertThat(one.count(FeedbackDrill.Fate.BOUNCE)).isEqualTo(100);
        assertThat(one.count(FeedbackDrill.Fate.COMPLAINT)).isEqualTo(10);
        assertThat(again.fates()).isEqualTo(one.fates());
        assertThat(other.fates()).isNotEqualTo(one.fates());
    }

    @Test
    void anAddressThatBouncedOrComplainedIsSuppressedInTheSecondWave() {
        assertThat(FeedbackDrill.expectedState(FeedbackDrill.Fate.BOUNCE, 1)).isEqualTo("bounced");
        assertThat(FeedbackDrill.expectedState(FeedbackDrill.Fate.COMPLAINT, 1)).isEqualTo("complained");
        assertThat(FeedbackDrill.expectedState(FeedbackDrill.Fate.BOUNCE, 2)).isEqualTo("suppressed");
        assertThat(FeedbackDrill.expectedState(FeedbackDrill.Fate.COMPLAINT, 2)).isEqualTo("suppressed");
        assertThat(FeedbackDrill.expectedState(FeedbackDrill.Fate.CLEAN, 1)).isEqualTo("delivered");
        assertThat(FeedbackDrill.expectedState(FeedbackDrill.Fate.CLEAN, 2)).isEqualTo("delivered");
    }

    @Test
    void aPercentageMustBeANumberInItsRange() {
        Set<String> known = Set.of("--bounce-pct");

        assertThat(DrillOptions.parse("feedback", List.of("--bounce-pct", "0.5"), known)
                        .decimalOption("--bounce-pct", 2, 0, 100))
                .isEqualTo(0.5);
        assertThatThrownBy(() -> DrillOptions.parse("feedback", List.of("--bounce-pct", "two"), known)
                        .decimalOption("--bounce-pct", 2, 0, 100))
                .isInstanceOf(BadDrillArgumentException.class)
                .hasMessage("feedback: --bounce-pct needs a number, got 'two'");
        assertThatThrownBy(() -> DrillOptions.parse("feedback", List.of("--bounce-pct", "101"), known)
                        .decimalOption("--bounce-pct", 2, 0, 100))
                .isInstanceOf(BadDrillArgumentException.class)
                .hasMessageContaining("--bounce-pct must be between 0.0 and 100.0, got 101");
        assertThatThrownBy(() -> DrillOptions.parse("feedback", List.of("--bounce-pct", "NaN"), known)
                        .decimalOption("--bounce-pct", 2, 0, 100))
                .isInstanceOf(BadDrillArgumentException.class);
    }
}
