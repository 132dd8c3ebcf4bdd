package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.sqs.MessageAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The oldest SentTimestamp per queue between reports, from messages as the SDK hands them over. */
class OldestReceivedTest {

    private final OldestReceived oldest = new OldestReceived(List.of("herald-1", "herald-2"));

    private static Message sentAt(long millis) {
        return Message.builder()
                .messageId("m" + millis)
                .attributes(Map.of(MessageSystemAttributeName.SENT_TIMESTAMP, Long.toString(millis)))
                .build();
    }

    @Test
    void theOldestOfEveryReceiveSinceTheLastTakeThenNothing() {
        oldest.saw("herald-1", List.of(sentAt(5_000), sentAt(3_000)));
        oldest.saw("herald-1", List.of(sentAt(4_000)));
        oldest.saw("herald-2", List.of(sentAt(1_000)));

        assertThat(oldest.take("herald-1")).isEqualTo(Instant.ofEpochMilli(3_000));
        assertThat(oldest.take("herald-1")).as("a new interval").isNull();
        assertThat(oldest.take("herald-2")).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void whatAFailedReportTookCountsInTheNextOne() {
        oldest.saw("herald-1", List.of(sentAt(2_000)));
        Instant taken = oldest.take("herald-1");
        oldest.saw("herald-1", List.of(sentAt(9_000)));

        oldest.putBack("herald-1", taken);
        oldest.putBack("herald-2", null);

        assertThat(oldest.take("herald-1")).isEqualTo(Instant.ofEpochMilli(2_000));
        assertThat(oldest.take("herald-2")).isNull();
    }

    @Test
    void aParkedCopyCountsFromItsOriginalsFirstSend() {
        Message copy = sentAt(50_000).toBuilder()
                .messageAttributes(Map.of(
                        MessageAttributes.FIRST_SENT,
                        MessageAttributeValue.builder()
                                .dataType("Number")
                                .stringValue("7000")
                                .build()))
                .build();

        assertThat(MessageAttributes.firstSent(copy)).hasValue(7_000);
        assertThat(MessageAttributes.firstSent(sentAt(50_000))).hasValue(50_000);
        assertThat(MessageAttributes.firstSent(Message.builder().build())).isEmpty();
    }
}
