package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ApiKeyEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The outside review's findings on the API (issue 15), one behaviour each: every test here failed against the code the
 * review attacked. Keys: {@code alpha} may send only from alpha.example.org, {@code root} is an admin key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityReviewApiTest {

    private static final String ALPHA = "alpha-" + UUID.randomUUID();
    private static final String ROOT = "root-" + UUID.randomUUID();
    private static final String PER_MESSAGE = "per-message-" + UUID.randomUUID();
    private static final String SMALL_BURST = "small-burst-" + UUID.randomUUID();
    private static final String FEW_RECEIVERS = "few-" + UUID.randomUUID();
    private static final String CHAT = "chat-" + UUID.randomUUID();
    private static final String METERED = "metered-" + UUID.randomUUID();
    private static final String LABELLED = "labelled-" + UUID.randomUUID();

    private ApiTestbed bed;
    private HeraldApi api;
    private final AtomicLong nanos = new AtomicLong();

    static ApiKeyEntry key(String text) {
        return switch (ApiKeyEntry.parse(text)) {
            case ApiKeyEntry.Parsed.Valid valid -> valid.entry();
            case ApiKeyEntry.Parsed.Invalid invalid -> throw new AssertionError(invalid.problem());
        };
    }

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = bed.start(b -> b.access(ApiAccess.keys(
                List.of(
                        key("name=alpha sha256=" + ApiKeyEntry.hash(ALPHA) + " senders=alpha.example.org rate=1000/s"),
                        key("name=root sha256=" + ApiKeyEntry.hash(ROOT) + " senders=* rate=1000/s role=admin"),
                        key("name=per-message sha256=" + ApiKeyEntry.hash(PER_MESSAGE) + " senders=* rate=5/s"),
                        key("name=small-burst sha256=" + ApiKeyEntry.hash(SMALL_BURST)
                                + " senders=* rate=1000/s messages=3/m"),
                        key("name=few sha256=" + ApiKeyEntry.hash(FEW_RECEIVERS)
                                + " senders=* rate=1000/s maxReceivers=2"),
                        key("name=chat sha256=" + ApiKeyEntry.hash(CHAT) + " senders=* rate=1000/s"
                                + " receivers=mattermost=town-square|alerts-.+ receivers=mailto=.+@example\\.org"),
                        key("name=acme-metered sha256=" + ApiKeyEntry.hash(METERED) + " senders=* rate=1/h"),
                        key("name=acme-labelled sha256=" + ApiKeyEntry.hash(LABELLED)
                                + " senders=* rate=1/h id=tenant-7")),
                nanos::get)));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private ApiTestbed.Answer notify(String token, String body) throws Exception {
        return bed.post(api, "/v1/notifications", body, "Authorization", "Bearer " + token);
    }

    private ApiTestbed.Answer email(String token, String body) throws Exception {
        return bed.post(api, "/email/send", body, "Authorization", "Bearer " + token);
    }

    // Finding 1: "from": "" skipped the sender check and mailed from the provider's default sender.

    @Test
    void anEmptyOrBlankFromIsAMissingFromForEmailReceivers() throws Exception {
        for (String from : List.of("", " ", "\\t")) {
            ApiTestbed.Answer answer = notify(ALPHA, """
                    {"to": "mailto:victim@example.com", "from": "%s", "text": "hi"}""".formatted(from));

            assertThat(answer.status()).as("from '%s'", from).isEqualTo(422);
            assertThat(answer.errors()).containsExactly(Map.entry("from", "From is required for email receivers"));
        }
    }

    @Test
    void anEmptyFromEmailOnTheGomailEndpointIsRequiredToo() throws Exception {
        ApiTestbed.Answer answer = email(ALPHA, bed.email("", "victim@example.com", "s", "b"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("fromEmail", "From email is required"));
    }

    @Test
    void aChatOnlyNotificationNeedsNoFrom() throws Exception {
        assertThat(notify(ALPHA, """
                {"to": "telegram:1", "from": "", "text": "hi"}""").status()).isEqualTo(202);
    }

    // Finding 13: a display name could hold an address.

    @Test
    void aDisplayNameHoldingAnAddressIs422NamingTheField() throws Exception {
        for (String name : List.of(
                "Bank <ceo@bank.example>",
                "ceo@bank.example",
                "Bank \uFF1Cceo\uFF20bank.example\uFF1E",
                "Bank\\tCEO",
                "\u202Eelpmaxe.knab")) {
            ApiTestbed.Answer notification = notify(
                    ALPHA,
                    bed.mapper.writeValueAsString(
                            Map.of("to", "telegram:1", "fromName", name.replace("\\t", "\t"), "text", "hi")));
            var gomail = bed.mapper.createObjectNode();
            gomail.putObject("email")
                    .put("fromEmail", "a@alpha.example.org")
                    .put("fromName", "Ops")
                    .put("toEmail", "b@example.com")
                    .put("toName", name.replace("\\t", "\t"))
                    .put("body", "b");
            ApiTestbed.Answer sent = email(ALPHA, bed.mapper.writeValueAsString(gomail));

            assertThat(notification.status()).as(name).isEqualTo(422);
            assertThat(notification.errors()).as(name).containsOnlyKeys("fromName");
            assertThat(sent.status()).as(name).isEqualTo(422);
            assertThat(sent.errors()).as(name).containsOnlyKeys("toName");
        }
    }

    @Test
    void anOrdinaryDisplayNameIsKept() throws Exception {
        assertThat(notify(ALPHA, """
                {"to": "mailto:b@example.com", "from": "ops@alpha.example.org", "fromName": "Ops (Zürich) – Team",
                 "text": "hi"}""").status()).isEqualTo(202);
    }

    // Finding 2: the rate limit counted requests, so one request of 50 receivers cost one token.

    private static String telegrams(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> "telegram:" + i)
                .collect(Collectors.joining(","));
    }

    @Test
    void theRateIsChargedPerMessageAllOrNothingWithRetryAfter() throws Exception {
        // rate=5/s and no messages=: five messages a second, however they are spread over requests.
        assertThat(notify(PER_MESSAGE, "{\"to\": \"" + telegrams(1, 4) + "\", \"text\": \"hi\"}")
                        .status())
                .isEqualTo(202);

        ApiTestbed.Answer limited = notify(PER_MESSAGE, "{\"to\": \"" + telegrams(10, 2) + "\", \"text\": \"hi\"}");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.errors().get("base"))
                .isEqualTo("Message limit of API key 'per-message' reached: 2 messages can go in 1 s");
        assertThat(email(PER_MESSAGE, bed.email("a@b.org", "c@d.org", "s", "b")).status())
                .as("the one message left")
                .isEqualTo(200);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(notify(PER_MESSAGE, "{\"to\": \"" + telegrams(10, 2) + "\", \"text\": \"hi\"}")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void aRequestForMoreMessagesThanTheKeyMaySendAtOnceIs422NotAnEndless429() throws Exception {
        ApiTestbed.Answer answer = notify(SMALL_BURST, "{\"to\": \"" + telegrams(1, 4) + "\", \"text\": \"hi\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors())
                .containsExactly(Map.entry(
                        "to",
                        "To has 4 receivers; API key 'small-burst' may "
                                + "send at most 3 messages at once (messages= in api.keys)"));
    }

    @Test
    void aKeysMaxReceiversBoundsEachRequest() throws Exception {
        ApiTestbed.Answer answer = notify(FEW_RECEIVERS, "{\"to\": \"" + telegrams(1, 3) + "\", \"text\": \"hi\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("to", "To has 3 receivers; at most 2 per request"));
        assertThat(notify(FEW_RECEIVERS, "{\"to\": \"" + telegrams(1, 2) + "\", \"text\": \"hi\"}")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void oneInboxWrittenInDifferentCasesIsMailedOnce() throws Exception {
        ApiTestbed.Answer answer = notify(ROOT, """
                {"to": "Victim@Example.org, victim@example.ORG, mailto:VICTIM@EXAMPLE.ORG", "from": "a@b.org",
                 "text": "hi"}""");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("notifications")).hasSize(1);
        assertThat(answer.json().get("notifications").get(0).get("target").asText())
                .isEqualTo("Victim@Example.org");
    }

    @Test
    void aRateLimitedRequestIsNotRememberedUnderItsIdempotencyKey() throws Exception {
        String body = "{\"to\": \"" + telegrams(20, 3) + "\", \"text\": \"hi\"}";
        String idempotency = UUID.randomUUID().toString();
        notify(SMALL_BURST, "{\"to\": \"telegram:1\", \"text\": \"hi\"}");

        ApiTestbed.Answer first = bed.post(
                api,
                "/v1/notifications",
                body,
                "Authorization",
                "Bearer " + SMALL_BURST,
                "Idempotency-Key",
                idempotency);
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        ApiTestbed.Answer retry = bed.post(
                api,
                "/v1/notifications",
                body,
                "Authorization",
                "Bearer " + SMALL_BURST,
                "Idempotency-Key",
                idempotency);

        assertThat(first.status()).isEqualTo(429);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void messagesTheQueueDidNotTakeAreNotCharged() throws Exception {
        String token = "refund-" + UUID.randomUUID();
        String sqs = bed.sqs.endpoint().toString();
        // A queue ElasticMQ does not have: SQS refuses every message, as it would a deleted queue.
        HeraldApi nowhere = bed.start(
                ApiTestbed.DEFAULT_API,
                List.of(new io.herald.core.sqs.QueueRef(
                        "missing",
                        sqs + "/000000000000/missing-" + UUID.randomUUID(),
                        sqs + "/000000000000/missing-dlq")),
                b -> b.access(ApiAccess.keys(
                        List.of(key("name=refund sha256=" + ApiKeyEntry.hash(token)
                                + " senders=* rate=1000/s messages=1/h")),
                        nanos::get)));

        for (int attempt = 1; attempt <= 3; attempt++) {
            ApiTestbed.Answer answer = bed.post(
                    nowhere,
                    "/v1/notifications",
                    "{\"to\": \"telegram:1\", \"text\": \"hi\"}",
                    "Authorization",
                    "Bearer " + token);
            assertThat(answer.status())
                    .as("attempt %d: %s", attempt, answer.text())
                    .isNotEqualTo(429)
                    .isGreaterThanOrEqualTo(422);
        }
    }

    // Finding 3: refused receivers were listed whole, one each: 262 KB of commas became a 20.7 MB answer.

    @Test
    void aListOfCommasIsRefusedUnreadWithOneErrorNamingTheLimit() throws Exception {
        String to = ",".repeat(262_000);

        ApiTestbed.Answer answer = notify(ROOT, "{\"to\": \"" + to + "\", \"text\": \"hi\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("to", "To has 262001 receivers; at most 50 per request"));
        assertThat(answer.text().length()).as("answer size").isLessThan(300);
    }

    @Test
    void refusalsAreListedFirstTenEachBoundedThenCounted() throws Exception {
        String bad = IntStream.range(0, 50)
                .mapToObj(i -> "telegram:" + "x".repeat(5000))
                .collect(Collectors.joining(","));

        ApiTestbed.Answer none = notify(ROOT, "{\"to\": \"" + bad + "\", \"text\": \"hi\"}");
        ApiTestbed.Answer some =
                notify(ROOT, "{\"to\": \"telegram:1," + bad.substring(bad.indexOf(',') + 1) + "\", \"text\": \"hi\"}");

        assertThat(none.status()).isEqualTo(422);
        assertThat(none.json().get("refused")).hasSize(10);
        assertThat(none.json().get("refusedMore").asInt()).isEqualTo(40);
        assertThat(none.errors().get("to")).endsWith("; and 40 more");
        assertThat(none.text().length())
                .as("answer to a %d-byte request", bad.length())
                .isLessThan(12_000);
        assertThat(some.status()).isEqualTo(202);
        assertThat(some.json().get("refused")).hasSize(10);
        assertThat(some.json().get("refusedMore").asInt()).isEqualTo(39);
        assertThat(some.text().length()).isLessThan(8_000);
    }

    @Test
    void recentRejectionsAreBoundedInCountAndEntrySize() {
        RecentRejections recent = new RecentRejections(5, java.time.Clock.systemUTC());
        for (int i = 0; i < 100; i++) {
            recent.refused("x".repeat(10_000), "telegram target '" + "x".repeat(10_000) + "' is not a chat id");
        }

        assertThat(recent.newestFirst()).hasSize(5).allSatisfy(r -> {
            assertThat(r.receiver().length()).isLessThanOrEqualTo(210);
            assertThat(r.reason().length()).isLessThanOrEqualTo(310);
        });
    }

    // Finding 7: any send-only key could post to any channel, chat or room the bot is in.

    @Test
    void aKeyWithReceiversSendsOnlyThere() throws Exception {
        assertThat(notify(CHAT, """
                {"to": "mattermost:town-square, mattermost:alerts-db, mailto:a@example.org", "from": "a@b.org",
                 "text": "hi"}""").status()).isEqualTo(202);

        ApiTestbed.Answer channel = notify(CHAT, """
                {"to": "mattermost:town-square, mattermost:board-room", "text": "hi"}""");
        ApiTestbed.Answer unlisted = notify(CHAT, """
                {"to": "telegram:1", "text": "hi"}""");
        ApiTestbed.Answer lookalike = notify(CHAT, """
                {"to": "mailto:a@example.org.evil.com", "from": "a@b.org", "text": "hi"}""");
        ApiTestbed.Answer gomail = email(CHAT, bed.email("a@b.org", "boss@elsewhere.org", "s", "b"));

        assertThat(channel.status()).isEqualTo(403);
        assertThat(channel.errors())
                .containsExactly(Map.entry(
                        "to", "API key 'chat' may not send to mattermost:board-room (see its receivers= in api.keys)"));
        assertThat(unlisted.status())
                .as("a scheme the key's list does not name")
                .isEqualTo(403);
        assertThat(lookalike.status()).as("patterns match whole targets").isEqualTo(403);
        assertThat(gomail.status()).isEqualTo(403);
        assertThat(gomail.errors()).containsOnlyKeys("toEmail");
        assertThat(notify(ROOT, "{\"to\": \"mattermost:board-room\", \"text\": \"hi\"}")
                        .status())
                .as("a key without receivers= is not restricted")
                .isEqualTo(202);
    }

    // Finding 8: any key could read the status of any other key's notification.

    @Test
    void aKeyReadsTheStatusOfItsOwnNotificationsAndAdminsReadAll() throws Exception {
        String id = notify(ALPHA, "{\"to\": \"telegram:1\", \"text\": \"hi\"}")
                .json()
                .get("notifications")
                .get(0)
                .get("id")
                .asText();
        String unknown = UUID.randomUUID().toString();

        ApiTestbed.Answer own = bed.get(api, "/v1/notifications/" + id, "Authorization", "Bearer " + ALPHA);
        ApiTestbed.Answer admin = bed.get(api, "/v1/notifications/" + id, "Authorization", "Bearer " + ROOT);
        ApiTestbed.Answer other = bed.get(api, "/v1/notifications/" + id, "Authorization", "Bearer " + CHAT);
        ApiTestbed.Answer missing = bed.get(api, "/v1/notifications/" + unknown, "Authorization", "Bearer " + CHAT);

        assertThat(own.status()).isEqualTo(200);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text().replace(id, "ID"))
                .as("no existence oracle")
                .isEqualTo(missing.text().replace(unknown, "ID"));
        assertThat(other.headers().map().keySet())
                .isEqualTo(missing.headers().map().keySet());
    }

    // Finding 12: /metrics needed no key and labelled rate limits by the key's name.

    @Test
    void metricsAreForAdminKeysAndLabelKeysByAnIdThatNamesNobody() throws Exception {
        for (String token : List.of(METERED, LABELLED)) {
            notify(token, "{\"to\": \"telegram:1\", \"text\": \"hi\"}");
            assertThat(notify(token, "{\"to\": \"telegram:1\", \"text\": \"hi\"}")
                            .status())
                    .isEqualTo(429);
        }

        ApiTestbed.Answer anonymous = bed.get(api, "/metrics");
        ApiTestbed.Answer sender = bed.get(api, "/metrics", "Authorization", "Bearer " + ALPHA);
        ApiTestbed.Answer admin = bed.get(api, "/metrics", "Authorization", "Bearer " + ROOT);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(sender.status()).isEqualTo(403);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.text())
                .contains("herald_api_rate_limited_total{key=\"key-"
                        + ApiKeyEntry.hash(METERED).substring(0, 8) + "\"}")
                .contains("herald_api_rate_limited_total{key=\"tenant-7\"}")
                .doesNotContain("acme");
    }
}
