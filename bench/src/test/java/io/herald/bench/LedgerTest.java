package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void everyIdIsAccountedForAsDeliveredDuplicatedQueuedOrLost() {
        Ledger ledger = Ledger.of(Set.of("a", "b", "c", "d"), List.of("a", "b", "b", "z"), 1);
        assertThat(ledger.sent()).isEqualTo(4);
        assertThat(ledger.delivered()).isEqualTo(2);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.stillQueued()).isEqualTo(1);
        assertThat(ledger.lost()).isEqualTo(1);
        assertThat(ledger.strangers()).isEqualTo(1);
        assertThat(ledger.violations()).hasSize(3).first().asString().startsWith("lost 1 of 4");
    }

    @Test
    void nothingMissingIsNoViolation() {
        assertThat(Ledger.of(Set.of("a", "b"), List.of("b", "a"), 0).violations())
                .isEmpty();
    }
}
