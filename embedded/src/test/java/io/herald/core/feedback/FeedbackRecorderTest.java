package io.herald.core.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.HeraldConfig.SuppressionSettings.SoftBounceLimit;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The recorder against the real status store and soft-bounce count (DynamoDB Local, in-process). The suppression list
 * is an in-memory double of Herald's own {@link Suppressions} interface (its DynamoDB implementation is tested on its
 * own, in DynamoSuppressionsTest), so the test can read back exactly what the recorder added.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedbackRecorderTest {

    /** The real present: DynamoDB Local's TTL sweeper deletes items whose expiry lies in the real past. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private String table;
    private DynamoStatusStore status;
    private ListedSuppressions suppressions;
    private SimpleMeterRegistry registry;
    private FeedbackRecorder recorder;

    @BeforeAll
    void start() {
        embedded = EmbeddedDynamoDb.start(0);
        dynamo = DynamoDbClients.create(DynamoTesting.statusConfig(embedded.endpoint(), "unused"));
        table = DynamoTesting.uniqueTable("feedback");
        StatusTable.createIfMissing(dynamo, table);
    }

    @AfterAll
    void stop() {
        dynamo.close();
        embedded.close();
    }

    @BeforeEach
    void fresh() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        status = new DynamoStatusStore(dynamo, table, Duration.ofDays(7), clock);
        suppressions = new ListedSuppressions();
        registry = new SimpleMeterRegistry();
        recorder = new FeedbackRecorder(
                status,
                suppressions,
                new DynamoSoftBounces(dynamo, table, clock),
                new SoftBounceLimit(3, Duration.ofDays(7)),
                new FeedbackMeters(registry));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static String address() {
        return "u-" + UUID.randomUUID() + "@Example.org";
    }

    /** A message the pipeline delivered through SES, sent from {@code domain}. */
    private String delivered(String domain) {
        String id = id();
        status.record(new StatusUpdate(id, new DeliveryState.Delivered("ses", "p-1"), T0.minusSeconds(60))
                .withSenderDomain(domain));
        return id;
    }

    private double count(String type, String domain) {
        var counter = registry.find("herald.feedback.events")
                .tag("type", type)
                .tag("sender_domain", domain)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void eachEventIsAddedOnceToItsSenderDomainsDailyCountsInTheTableWhichTheOverviewReads() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FeedbackDailyCounts daily = new FeedbackDailyCounts(dynamo, table, clock);
        FeedbackRecorder counting = new FeedbackRecorder(
                status,
                suppressions,
                new DynamoSoftBounces(dynamo, table, clock),
                new SoftBounceLimit(3, Duration.ofDays(7)),
                new FeedbackMeters(registry),
                daily);
        // Its own domain: other tests count into the same day's item.
        String domain = "rates-" + UUID.randomUUID() + ".example";
        String first = delivered(domain);
        String second = delivered(domain);
        String third = delivered(domain);
        counting.accept(new FeedbackEvent.Delivery("ses", "d-" + first, first, address(), T0));
        counting.accept(new FeedbackEvent.Delivery("ses", "d-" + second, second, address(), T0));
        FeedbackEvent bounce = new FeedbackEvent.Bounce("sendgrid", "b-" + third, third, address(), T0, true, "550");
        counting.accept(bounce);
        counting.accept(bounce); // redelivered: recorded before, not counted again
        counting.accept(new FeedbackEvent.Complaint("ses", "c-" + first, first, address(), T0, "abuse"));

        FeedbackDailyCounts.DomainCounts counts = daily.read(2).stream()
                .filter(c -> c.senderDomain().equals(domain))
                .findFirst()
                .orElseThrow();
        assertThat(counts.count("delivery")).isEqualTo(2);
        assertThat(counts.count("hard_bounce")).isEqualTo(1);
        assertThat(counts.count("complaint")).isEqualTo(1);
        assertThat(counts.count("soft_bounce")).isZero();
    }

    @Test
    void aHardBounceMovesTheDeliveredMessageToBouncedAndSuppressesTheAddressForEveryCategory() {
        String id = delivered("cluster.example.edu");
        String to = address();

        recorder.accept(new FeedbackEvent.Bounce("ses", "e-1", id, to, T0, true, "550 5.1.1 user unknown"));

        assertThat(status.find(id).orElseThrow().state())
                .isEqualTo(new DeliveryState.Bounced(true, "550 5.1.1 user unknown", "ses"));
        assertThat(suppressions.entries)
                .containsExactly(new Suppression(
                        to, Suppression.ALL_CATEGORIES, "hard bounce: 550 5.1.1 user unknown", "ses", T0));
        assertThat(count("hard_bounce", "cluster.example.edu")).isEqualTo(1);
    }

    @Test
    void theSameEventOfferedAgainChangesNothingMore() {
        String id = delivered("cluster.example.edu");
        String to = address();
        FeedbackEvent bounce = new FeedbackEvent.Bounce("ses", "e-2", id, to, T0, true, "550 5.1.1 user unknown");

        recorder.accept(bounce);
        var afterFirst = status.timeline(id);
        recorder.accept(bounce);

        assertThat(status.timeline(id)).isEqualTo(afterFirst);
        assertThat(afterFirst.feedback()).hasSize(1);
        assertThat(suppressions.adds).isEqualTo(1);
        assertThat(count("hard_bounce", "cluster.example.edu")).isEqualTo(1);
    }

    @Test
    void aComplaintFollowsABounceButABounceNeverReplacesAComplaint() {
        String id = delivered("a.example");
        String to = address();

        recorder.accept(new FeedbackEvent.Complaint("sendgrid", "c-1", id, to, T0, "abuse"));
        recorder.accept(new FeedbackEvent.Bounce("sendgrid", "b-1", id, to, T0.plusSeconds(1), false, "452 full"));

        assertThat(status.find(id).orElseThrow().state()).isEqualTo(new DeliveryState.Complained("abuse", "sendgrid"));
        // The later bounce still joins the feedback history, with its time.
        assertThat(status.timeline(id).feedback())
                .extracting(s -> s.type() + "@" + s.at())
                .containsExactly("complaint@" + T0, "soft-bounce@" + T0.plusSeconds(1));
        assertThat(suppressions.entries.getFirst().reason()).isEqualTo("complaint: abuse");
        assertThat(count("complaint", "a.example")).isEqualTo(1);
    }

    @Test
    void aHardBounceReplacesASoftOneAndAComplaintReplacesABounce() {
        String id = delivered("a.example");
        String to = address();

        recorder.accept(new FeedbackEvent.Bounce("ses", "s-1", id, to, T0, false, "452 mailbox full"));
        assertThat(status.find(id).orElseThrow().state())
                .isEqualTo(new DeliveryState.Bounced(false, "452 mailbox full", "ses"));
        recorder.accept(new FeedbackEvent.Bounce("ses", "h-1", id, to, T0.plusSeconds(5), true, "550 gone"));
        assertThat(status.find(id).orElseThrow().state()).isEqualTo(new DeliveryState.Bounced(true, "550 gone", "ses"));
        recorder.accept(new FeedbackEvent.Complaint("ses", "c-2", id, to, T0.plusSeconds(9), null));

        assertThat(status.history(id))
                .extracting(u -> u.state().name())
                .containsExactly("delivered", "bounced", "bounced", "complained");
    }

    @Test
    void deliveriesDeferralsAndDropsOnlyJoinTheHistoryAndTheMessageStaysDelivered() {
        String id = delivered("a.example");
        String to = address();

        recorder.accept(new FeedbackEvent.Deferral("ses", "d-1", id, to, T0, "421 4.7.0 try later"));
        recorder.accept(new FeedbackEvent.Delivery("ses", "d-2", id, to, T0.plusSeconds(30)));
        recorder.accept(new FeedbackEvent.Dropped("sendgrid", "d-3", id, to, T0.plusSeconds(31), "Spam Content"));

        assertThat(status.find(id).orElseThrow().state()).isEqualTo(new DeliveryState.Delivered("ses", "p-1"));
        assertThat(status.timeline(id).feedback())
                .extracting(s -> s.type() + " " + s.source() + " " + s.detail() + " " + s.at())
                .containsExactly(
                        "deferral ses 421 4.7.0 try later " + T0,
                        "delivery ses null " + T0.plusSeconds(30),
                        "dropped sendgrid Spam Content " + T0.plusSeconds(31));
        assertThat(suppressions.entries).isEmpty();
        assertThat(count("delivery", "a.example")).isEqualTo(1);
        assertThat(count("deferral", "a.example")).isEqualTo(1);
    }

    @Test
    void aDropBecauseTheProviderSuppressedTheAddressSuppressesItHereToo() {
        String to = address();

        recorder.accept(new FeedbackEvent.Dropped("sendgrid", "x-1", null, to, T0, "Bounced Address"));

        assertThat(suppressions.entries)
                .extracting(Suppression::reason)
                .containsExactly("dropped by sendgrid: Bounced Address");
        assertThat(count("dropped", FeedbackMeters.UNKNOWN)).isEqualTo(1);
    }

    @Test
    void feedbackForAnUnknownMessageStillSuppressesTheAddress() {
        String to = address();

        recorder.accept(new FeedbackEvent.Complaint("ses", "u-1", null, to, T0, "abuse"));
        recorder.accept(new FeedbackEvent.Bounce("ses", "u-2", id(), address(), T0, true, "550 no such user"));

        assertThat(suppressions.entries).hasSize(2);
        assertThat(suppressions.find(to.toUpperCase(), "newsletter")).isPresent();
        assertThat(count("complaint", FeedbackMeters.UNKNOWN)).isEqualTo(1);
        assertThat(count("hard_bounce", FeedbackMeters.UNKNOWN)).isEqualTo(1);
    }

    @Test
    void aBounceBeforeThePipelineRecordedDeliveredWinsOverTheLateDelivered() {
        String id = id();
        String to = address();

        recorder.accept(new FeedbackEvent.Bounce("ses", "early", id, to, T0, true, "550 gone"));
        status.record(new StatusUpdate(id, new DeliveryState.Delivered("ses", "p-9"), T0.plusSeconds(1)));

        assertThat(status.find(id).orElseThrow().state().name()).isEqualTo("bounced");
    }

    @Test
    void feedbackNeverReplacesARejectedMessageButJoinsItsHistory() {
        String id = id();
        status.record(new StatusUpdate(id, new DeliveryState.Rejected("bad address"), T0));

        recorder.accept(new FeedbackEvent.Bounce("ses", "r-1", id, address(), T0.plusSeconds(1), true, "550"));

        assertThat(status.find(id).orElseThrow().state()).isEqualTo(new DeliveryState.Rejected("bad address"));
        assertThat(status.timeline(id).feedback()).extracting(s -> s.type()).containsExactly("hard-bounce");
    }

    @Test
    void softBouncesSuppressOnlyWhenEnoughFallWithinTheWindow() {
        String to = address();
        // An old one, outside the 7-day window: it does not count.
        recorder.accept(new FeedbackEvent.Bounce("ses", "s-old", null, to, T0.minus(Duration.ofDays(8)), false, "452"));
        recorder.accept(
                new FeedbackEvent.Bounce("ses", "s-a", delivered("a.example"), to, T0.minusSeconds(5), false, "452"));
        // The same event again (a redelivery) is not a second bounce.
        recorder.accept(new FeedbackEvent.Bounce("ses", "s-a", null, to, T0.minusSeconds(5), false, "452"));
        recorder.accept(new FeedbackEvent.Bounce("ses", "s-b", null, to, T0.minusSeconds(3), false, "452"));
        assertThat(suppressions.entries).isEmpty();

        recorder.accept(new FeedbackEvent.Bounce("ses", "s-c", null, to, T0, false, "452 4.2.2 mailbox full"));

        assertThat(suppressions.entries)
                .extracting(Suppression::reason)
                .containsExactly("3 soft bounces within 168h, last: 452 4.2.2 mailbox full");
    }

    @Test
    void aSuppressionListThatCannotBeWrittenLeavesTheEventToBeOfferedAgain() {
        String id = delivered("a.example");
        String to = address();
        suppressions.failing = true;

        assertThatThrownBy(() -> recorder.accept(new FeedbackEvent.Complaint("ses", "f-1", id, to, T0, "abuse")))
                .isInstanceOf(FeedbackStoreException.class)
                .hasMessageContaining("suppression list");
        // Nothing recorded, so the event offered again does all of it.
        assertThat(status.find(id).orElseThrow().state().name()).isEqualTo("delivered");
        suppressions.failing = false;
        recorder.accept(new FeedbackEvent.Complaint("ses", "f-1", id, to, T0, "abuse"));
        assertThat(status.find(id).orElseThrow().state().name()).isEqualTo("complained");
        assertThat(suppressions.entries).hasSize(1);
        assertThat(count("complaint", "a.example")).isEqualTo(1);
    }

    @Test
    void anEventWithoutAnAddressStillReachesTheStatusButSuppressesNothing() {
        String id = delivered("a.example");

        recorder.accept(new FeedbackEvent.Bounce("ses", "n-1", id, " ", T0, true, "550 gone"));

        assertThat(status.find(id).orElseThrow().state().name()).isEqualTo("bounced");
        assertThat(suppressions.entries).isEmpty();
    }

    @Test
    void aStoreDecoratorThatDoesNotForwardFeedbackStillLetsABounceReplaceDelivered() {
        String id = delivered("a.example");
        // A decorator written before recordFeedback existed: the interface's fallback must still apply the rules.
        StatusStore forgetful = new StatusStore() {
            @Override
            public void record(StatusUpdate update) {
                status.record(update);
            }

            @Override
            public void reopen(List<StatusUpdate> updates) {
                status.reopen(updates);
            }

            @Override
            public Optional<StatusUpdate> find(String messageId) {
                return status.find(messageId);
            }
        };
        FeedbackRecorder throughDecorator = new FeedbackRecorder(
                forgetful,
                suppressions,
                new DynamoSoftBounces(dynamo, table, Clock.fixed(T0, ZoneOffset.UTC)),
                new SoftBounceLimit(3, Duration.ofDays(7)),
                new FeedbackMeters(registry));

        throughDecorator.accept(new FeedbackEvent.Bounce("ses", "dec-1", id, address(), T0, true, "550 gone"));
        throughDecorator.accept(new FeedbackEvent.Bounce("ses", "dec-2", id, address(), T0, false, "452 full"));

        assertThat(status.find(id).orElseThrow().state()).isEqualTo(new DeliveryState.Bounced(true, "550 gone", "ses"));
        assertThat(count("hard_bounce", "a.example")).isEqualTo(1);
    }

    /** An in-memory stand-in for Herald's own {@link Suppressions}, keyed by address and category. */
    private static final class ListedSuppressions implements Suppressions {
        final List<Suppression> entries = new ArrayList<>();
        int adds;
        boolean failing;

        @Override
        public synchronized Optional<Suppression> find(String address, String category) {
            String normalized = Suppression.normalize(address);
            return entries.stream()
                    .filter(s -> s.address().equals(normalized))
                    .filter(s -> s.category().equals(Suppression.ALL_CATEGORIES)
                            || s.category().equals(category))
                    .findFirst();
        }

        @Override
        public synchronized void add(Suppression suppression) {
            if (failing) {
                throw new IllegalStateException("store unreachable");
            }
            adds++;
            entries.removeIf(s ->
                    s.address().equals(suppression.address()) && s.category().equals(suppression.category()));
            entries.add(suppression);
        }

        @Override
        public synchronized boolean remove(String address) {
            return entries.removeIf(s -> s.address().equals(Suppression.normalize(address)));
        }

        @Override
        public synchronized List<Suppression> list(String addressOrNull, int limit) {
            return entries.stream().limit(limit).toList();
        }
    }
}
