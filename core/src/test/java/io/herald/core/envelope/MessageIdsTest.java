package io.herald.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T09:11:40.123Z");

    @Test
    void idsAreUniqueOverManyCallsInTheSameMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add(MessageIds.next(T0));
        }

        assertThat(ids).hasSize(200_000);
    }

    @Test
    void idsAreVersion7WithRfcVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = UUID.fromString(MessageIds.next(T0.plusMillis(i)));

            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        }
    }

    @Test
    void idCarriesItsMillisecondTimestamp() {
        UUID id = UUID.fromString(MessageIds.next(T0));

        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void idsSortAsTextInTimeOrder() {
        List<String> inTimeOrder = new ArrayList<>();
        // Spread over decades, so every hex digit of the timestamp changes somewhere.
        for (int i = 0; i < 5_000; i++) {
            inTimeOrder.add(MessageIds.next(Instant.ofEpochMilli(1L + i * 300_000_017L)));
        }

        List<String> sorted = new ArrayList<>(inTimeOrder);
        sorted.sort(null);

        assertThat(sorted).containsExactlyElementsOf(inTimeOrder);
    }

    @Test
    void idsOneMillisecondApartSortInTimeOrder() {
        List<String> inTimeOrder = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            inTimeOrder.add(MessageIds.next(T0.plusMillis(i)));
        }

        List<String> sorted = new ArrayList<>(inTimeOrder);
        sorted.sort(null);

        assertThat(sorted).containsExactlyElementsOf(inTimeOrder);
    }

    @Test
    void idsAreCanonicalLowerCaseUuidText() {
        assertThat(MessageIds.next(T0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void envelopeCreateUsesATimeOrderedId() {
        Envelope envelope = Envelope.create("email", "a@b.org", Content.of("t", "x"), Origin.api("k"), T0);

        assertThat(envelope.v()).isEqualTo(Envelope.VERSION);
        assertThat(UUID.fromString(envelope.id()).version()).isEqualTo(7);
        assertThat(UUID.fromString(envelope.id()).getMostSignificantBits() >>> 16)
                .isEqualTo(T0.toEpochMilli());
    }
}
