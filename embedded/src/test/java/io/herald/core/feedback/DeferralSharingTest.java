package io.herald.core.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.control.ControlStore;
import io.herald.core.control.DomainDeferral;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The API's feedback sink telling the pipelines of deferrals, against a real DynamoDB engine (DynamoDB Local). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeferralSharingTest {

    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private ControlStore control;
    private final List<FeedbackEvent> recorded = new ArrayList<>();

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"));
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    @BeforeEach
    void freshTable() {
        String table = DynamoTesting.uniqueTable("sharing");
        StatusTable.createIfMissing(dynamo, table);
        control = new DynamoControlStore(dynamo, table, Duration.ofSeconds(30), CLOCK);
        recorded.clear();
    }

    @Test
    void aDeferralIsRecordedThenPublishedForItsDomainStampedWhenHeard() {
        FeedbackSink sink = new DeferralSharing(recorded::add, control, "api@host:1", CLOCK);
        FeedbackEvent deferral = new FeedbackEvent.Deferral(
                "sendgrid", "sg-1", "m-1", "Someone@GMail.com", NOW.minusSeconds(40), "421 4.7.0 try later");

        sink.accept(deferral);

        assertThat(recorded).containsExactly(deferral);
        // Stamped when heard, not when SendGrid saw it: an event 40 s old would already count as stale.
        assertThat(control.deferrals()).containsExactly(new DomainDeferral("gmail.com", "api@host:1", NOW));
    }

    @Test
    void otherEventsAreOnlyRecorded() {
        FeedbackSink sink = new DeferralSharing(recorded::add, control, "api@host:1", CLOCK);
        FeedbackEvent bounce = new FeedbackEvent.Bounce(
                "sendgrid", "sg-2", "m-2", "a@example.org", NOW, true, "550 5.1.1 no such user");

        sink.accept(bounce);

        assertThat(recorded).containsExactly(bounce);
        assertThat(control.deferrals()).isEmpty();
    }

    @Test
    void aDeferralThatCannotBeRecordedIsNotPublishedAndTheFailureReachesTheIntake() {
        FeedbackSink failing = event -> {
            throw new FeedbackStoreException("status table unreachable", null);
        };
        FeedbackSink sink = new DeferralSharing(failing, control, "api@host:1", CLOCK);

        assertThatThrownBy(() ->
                        sink.accept(new FeedbackEvent.Deferral("sendgrid", "sg-3", "m-3", "a@gmail.com", NOW, "421")))
                .isInstanceOf(FeedbackStoreException.class);
        assertThat(control.deferrals()).isEmpty();
    }

    @Test
    void anUnwritableControlStoreLosesOnlyThePacingNotTheRecordedEvent() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (DynamoDbClient nowhere =
                DynamoDbClients.create(DynamoTesting.statusConfig(URI.create("http://127.0.0.1:" + closed), "t"))) {
            FeedbackSink sink = new DeferralSharing(
                    recorded::add, new DynamoControlStore(nowhere, "t", Duration.ofSeconds(30), CLOCK), "api", CLOCK);
            FeedbackEvent deferral = new FeedbackEvent.Deferral("sendgrid", "sg-4", "m-4", "a@gmail.com", NOW, "421");

            sink.accept(deferral);

            assertThat(recorded).containsExactly(deferral);
        }
    }
}
