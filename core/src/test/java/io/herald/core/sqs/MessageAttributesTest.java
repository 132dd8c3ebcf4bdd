package io.herald.core.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class MessageAttributesTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static Message received(int receiveCount, long sentMillis) {
        return Message.builder()
                .messageId("m-1")
                .body("{}")
                .attributes(Map.of(
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(receiveCount),
                        MessageSystemAttributeName.SENT_TIMESTAMP, Long.toString(sentMillis)))
                .build();
    }

    private static Message withAttributes(Message message, Map<String, MessageAttributeValue> attributes) {
        return message.toBuilder().messageAttributes(attributes).build();
    }

    @Test
    void aDeadLetteredMessageReadsBackItsReasonProviderAndTime() {
        Message dead =
                withAttributes(received(1, 5), MessageAttributes.deadLettered("mailbox full", "herald-1", AT, "ses"));

        assertThat(MessageAttributes.reason(dead)).hasValue("mailbox full");
        assertThat(MessageAttributes.provider(dead)).hasValue("ses");
        assertThat(MessageAttributes.deadLetteredAt(dead)).isEqualTo(AT);
        assertThat(dead.messageAttributes().get(MessageAttributes.SOURCE_QUEUE).stringValue())
                .isEqualTo("herald-1");
    }

    @Test
    void aMessageSqsMovedItselfHasNoReasonAndItsSentTimeStandsInForWhenItWasDeadLettered() {
        Message moved = received(5, 42_000);

        assertThat(MessageAttributes.reason(moved)).isEmpty();
        assertThat(MessageAttributes.provider(moved)).isEmpty();
        assertThat(MessageAttributes.deadLetteredAt(moved)).isEqualTo(Instant.ofEpochMilli(42_000));
    }

    @Test
    void aParkedCopyCarriesItsAttemptsAndItsOriginalsFirstSendAndKeepsTheOriginalsAttributes() {
        Message original = withAttributes(
                received(3, 7_000),
                Map.of(
                        "trace",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("t-1")
                                .build()));

        Message copy = withAttributes(received(1, 90_000), MessageAttributes.parked(original, 2));

        assertThat(copy.messageAttributes()).containsKey("trace");
        assertThat(MessageAttributes.receiveCount(copy)).isEqualTo(3);
        assertThat(MessageAttributes.firstSent(copy)).hasValue(7_000);
    }

    @Test
    void valuesHeraldDidNotWriteReadAsAbsent() {
        MessageAttributeValue garbage = MessageAttributeValue.builder()
                .dataType("String")
                .stringValue("soon")
                .build();
        Message odd = withAttributes(
                received(2, 1_000),
                Map.of(
                        MessageAttributes.PRIOR_RECEIVES,
                        garbage,
                        MessageAttributes.FIRST_SENT,
                        garbage,
                        MessageAttributes.DEAD_LETTERED_AT,
                        garbage));

        assertThat(MessageAttributes.receiveCount(odd)).isEqualTo(2);
        assertThat(MessageAttributes.firstSent(odd)).hasValue(1_000);
        assertThat(MessageAttributes.deadLetteredAt(odd)).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(MessageAttributes.receiveCount(Message.builder().build())).isEqualTo(1);
    }
}
