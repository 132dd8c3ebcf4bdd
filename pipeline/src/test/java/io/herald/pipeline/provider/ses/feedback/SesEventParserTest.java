package io.herald.pipeline.provider.ses.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.feedback.FeedbackEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SesEventParserTest {

    private final SesEventParser parser = new SesEventParser(new ObjectMapper());

    @Test
    void permanentBounceNamesAddressDiagnosticAndHeraldId() throws Exception {
        var parsed = (SesEvents.Parsed) parser.parse(
                SesEventRecords.bounce("01HERALD1", "Permanent", "gone@example.com", "smtp; 550 5.1.1 user unknown"),
                "sns-1");

        assertThat(parsed.events())
                .containsExactly(new FeedbackEvent.Bounce(
                        "ses",
                        "sns-1",
                        "01HERALD1",
                        "gone@example.com",
                        Instant.parse("2026-12-07T20:41:02.669Z"),
                        true,
                        "smtp; 550 5.1.1 user unknown"));
    }

    @Test
    void transientAndUndeterminedBouncesAreNotPermanent() throws Exception {
        for (String type : new String[] {"Transient", "Undetermined"}) {
            var parsed = (SesEvents.Parsed)
                    parser.parse(SesEventRecords.bounce("01H", type, "full@example.com", "552 mailbox full"), "s");
            assertThat(((FeedbackEvent.Bounce) parsed.events().getFirst()).permanent())
                    .as(type)
                    .isFalse();
        }
    }

    @Test
    void complaintDeliveryRejectAndDelayBecomeTheirEvents() throws Exception {
        assertThat(((SesEvents.Parsed) parser.parse(SesEventRecords.complaint("01H", "a@example.com"), "s")).events())
                .singleElement()
                .isInstanceOfSatisfying(
                        FeedbackEvent.Complaint.class,
                        c -> assertThat(c.feedbackType()).isEqualTo("abuse"));
        assertThat(((SesEvents.Parsed) parser.parse(SesEventRecords.delivery("01H", "a@example.com"), "s")).events())
                .singleElement()
                .isInstanceOf(FeedbackEvent.Delivery.class);
        assertThat(((SesEvents.Parsed) parser.parse(SesEventRecords.reject("01H", "a@example.com"), "s")).events())
                .singleElement()
                .isInstanceOfSatisfying(
                        FeedbackEvent.Dropped.class, d -> assertThat(d.reason()).isEqualTo("Bad content"));
        assertThat(((SesEvents.Parsed) parser.parse(SesEventRecords.deliveryDelay("01H", "a@example.com"), "s"))
                        .events())
                .singleElement()
                .isInstanceOfSatisfying(
                        FeedbackEvent.Deferral.class,
                        d -> assertThat(d.diagnostic()).isEqualTo("smtp; 421 4.4.1 Unable to connect"));
    }

    @Test
    void severalRecipientsGetOneEventEachWithDistinctIds() throws Exception {
        String record = SesEventRecords.bounce("01H", "Permanent", "a@example.com", "550")
                .replace(
                        "\"bouncedRecipients\":[",
                        "\"bouncedRecipients\":[{\"emailAddress\":\"b@example.com\",\"diagnosticCode\":\"550\"},");

        var parsed = (SesEvents.Parsed) parser.parse(record, "sns-9");

        assertThat(parsed.events())
                .extracting(FeedbackEvent::address)
                .containsExactly("b@example.com", "a@example.com");
        assertThat(parsed.events())
                .extracting(FeedbackEvent::eventId)
                .containsExactly("sns-9#b@example.com", "sns-9#a@example.com");
    }

    @Test
    void withoutTheTagTheMessageIdIsUnknown() throws Exception {
        String record = SesEventRecords.complaint("01H", "a@example.com").replace("\"herald-id\"", "\"other\"");

        assertThat(((SesEvents.Parsed) parser.parse(record, "s"))
                        .events()
                        .getFirst()
                        .messageId())
                .isNull();
    }

    @Test
    void unknownEventTypesAreIgnoredByName() throws Exception {
        assertThat(parser.parse(SesEventRecords.open("01H", "a@example.com"), "s"))
                .isEqualTo(new SesEvents.Ignored("Open"));
    }

    @Test
    void aRecordWithoutWhatItsTypeNeedsIsUnusable() {
        assertThatThrownBy(() -> parser.parse("{\"eventType\":\"Bounce\",\"mail\":{}}", "s"))
                .isInstanceOf(UnusableFeedback.class)
                .hasMessageContaining("no bounce");
        assertThatThrownBy(() -> parser.parse("not json", "s"))
                .isInstanceOf(UnusableFeedback.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parser.parse(
                        SesEventRecords.complaint("01H", "a@example.com").replace("\"a@example.com\"}", "\"\"}"), "s"))
                .isInstanceOf(UnusableFeedback.class)
                .hasMessageContaining("emailAddress");
    }
}
