package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.DynamoChatLinks;
import io.herald.core.preferences.DynamoLinkNonces;
import io.herald.core.preferences.DynamoPreferencesStore;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.sqs.QueueRef;
import io.herald.core.status.StatusTable;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Slurm users' own way to their preferences: a magic link mailed through SQS, traded once for a session that reaches
 * that user's preferences and nobody else's. Real ElasticMQ and DynamoDB Local; every answer is checked against
 * openapi.json by the testbed. Expiry is tested with a clock the test moves ({@link MovableClock}): there is no real
 * stand-in for fifteen minutes passing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfServiceApiTest {

    private static final String ADMIN_TOKEN = "ops-" + UUID.randomUUID();
    private static final String SECRET = "test-secret-" + UUID.randomUUID();
    private static final Pattern LINK = Pattern.compile("https://herald\\.example\\.org/#/me\\?t=(\\S+)");
    private static final String PREFS = """
            {"receivers": {"work": "mailto:alice@uni.org"}, "events": {"FAIL": {"receivers": ["work"]}}}""";

    /** A clock the test moves forward, for expiry (the API reads time only through it). */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ApiTestbed bed;
    private HeraldApi api;
    private QueueRef queue;
    private PreferencesStore store;
    private ChatLinks links;
    private MovableClock clock;
    private int tables;

    private static ApiKeyEntry key(String text) {
        return ((ApiKeyEntry.Parsed.Valid) ApiKeyEntry.parse(text)).entry();
    }

    private static HeraldConfig.Api config(int linksPerHour) {
        return config(linksPerHour, 1000);
    }

    private static HeraldConfig.Api config(int linksPerHour, int linksPerMinute) {
        return ApiTestbed.DEFAULT_API.withSelfService(new HeraldConfig.Api.SelfService(
                "https://herald.example.org",
                Secret.of(SECRET),
                linksPerHour,
                linksPerMinute,
                Duration.ofMinutes(15),
                Duration.ofHours(1)));
    }

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
    }

    @BeforeEach
    void freshApi() {
        api = startApi(config(5));
    }

    private HeraldApi startApi(HeraldConfig.Api config) {
        return startApi(config, "cluster.example.org");
    }

    /** @param mailDomain mailprog.mailDomain, "" for none */
    private HeraldApi startApi(HeraldConfig.Api config, String mailDomain) {
        String table = "self-" + (++tables);
        StatusTable.createIfMissing(bed.dynamoClient, table);
        store = new DynamoPreferencesStore(bed.dynamoClient, table);
        links = new DynamoChatLinks(bed.dynamoClient, table);
        clock = new MovableClock();
        List<QueueRef> queues = bed.freshQueues(1);
        queue = queues.getFirst();
        return bed.start(
                config,
                queues,
                b -> b.preferences(store, Set.of("email", "telegram"))
                        .clock(clock)
                        .selfService(new DynamoLinkNonces(bed.dynamoClient, table), links, mailDomain, Optional.empty())
                        .access(ApiAccess.keys(List.of(key("name=ops sha256=" + ApiKeyEntry.hash(ADMIN_TOKEN)
                                + " senders=* rate=1000/s role=admin")))));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** Asks for a link for {@code user} and reads its token from the mail on SQS, as the user would. */
    private String linkFor(String user) throws Exception {
        ApiTestbed.Answer asked = bed.post(api, "/v1/me/link", "{\"user\": \"" + user + "\"}");
        assertThat(asked.status()).as(asked.text()).isEqualTo(202);
        Envelope mail = bed.drain(queue, 1).getFirst();
        assertThat(mail.channel()).isEqualTo("email");
        assertThat(mail.target()).isEqualTo(user + "@cluster.example.org");
        Matcher m = LINK.matcher(mail.content().text());
        assertThat(m.find()).as(mail.content().text()).isTrue();
        return m.group(1);
    }

    private ApiTestbed.Answer exchange(String token) throws Exception {
        return bed.post(api, "/v1/me/session", "{\"token\": \"" + token + "\"}");
    }

    private String sessionFor(String user) throws Exception {
        ApiTestbed.Answer session = exchange(linkFor(user));
        assertThat(session.status()).as(session.text()).isEqualTo(200);
        assertThat(session.json().get("user").asText()).isEqualTo(user);
        return session.json().get("session").asText();
    }

    private ApiTestbed.Answer putOwn(String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/me/preferences"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return bed.send(request.build());
    }

    @Test
    void aUserOpensTheirLinkOnceThenReadsAndSavesTheirOwnPreferences() throws Exception {
        String session = sessionFor("alice");

        ApiTestbed.Answer none = bed.get(api, "/v1/me/preferences", bearer(session));
        assertThat(none.status()).as("nothing saved yet: " + none.text()).isEqualTo(404);

        ApiTestbed.Answer saved = putOwn(PREFS, bearer(session));
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(saved.json().get("updatedBy").asText()).isEqualTo("self:alice");
        assertThat(store.find("alice")).isPresent();

        ApiTestbed.Answer shown = bed.get(api, "/v1/me/preferences", bearer(session));
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).isEqualTo(saved.json());
    }

    @Test
    void theLinkMailSaysNothingOfTheSecretAndTheAnswerIsTheSameForAnyUser() throws Exception {
        ApiTestbed.Answer alice = bed.post(api, "/v1/me/link", "{\"user\": \"alice\"}");
        ApiTestbed.Answer nobody = bed.post(api, "/v1/me/link", "{\"user\": \"no-such-user\"}");

        assertThat(alice.status()).isEqualTo(202);
        assertThat(nobody.status()).isEqualTo(202);
        assertThat(nobody.json().get("message").asText())
                .isEqualTo(alice.json().get("message").asText().replace("alice", "no-such-user"));
        List<Envelope> mails = bed.drain(queue, 2);
        assertThat(mails).hasSize(2);
        assertThat(mails).allSatisfy(m -> assertThat(m.content().text()).doesNotContain(SECRET));
    }

    @Test
    void overTheLimitNoLinkIsSentButTheAnswerIsTheSame() throws Exception {
        api = startApi(config(1));
        ApiTestbed.Answer first = bed.post(api, "/v1/me/link", "{\"user\": \"alice\"}");
        ApiTestbed.Answer second = bed.post(api, "/v1/me/link", "{\"user\": \"alice\"}");
        ApiTestbed.Answer bob = bed.post(api, "/v1/me/link", "{\"user\": \"bob\"}");

        assertThat(List.of(first.status(), second.status(), bob.status())).containsOnly(202);
        assertThat(second.text()).isEqualTo(first.text());
        List<Envelope> mails = bed.drainExactly(queue, 2, Duration.ofSeconds(3));
        assertThat(mails)
                .as("one link for alice, one for bob: the limit is per user")
                .extracting(Envelope::target)
                .containsExactlyInAnyOrder("alice@cluster.example.org", "bob@cluster.example.org");
    }

    @Test
    void overTheGlobalLimitNoLinkIsSentToAnyNameButTheAnswerIsTheSame() throws Exception {
        api = startApi(config(5, 2));
        List<ApiTestbed.Answer> answers = new java.util.ArrayList<>();
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            answers.add(bed.post(api, "/v1/me/link", "{\"user\": \"" + user + "\"}"));
        }

        assertThat(answers).extracting(ApiTestbed.Answer::status).containsOnly(202);
        assertThat(answers.get(3).text()).isEqualTo(answers.get(0).text().replace("alice", "dave"));
        List<Envelope> mails = bed.drainExactly(queue, 2, Duration.ofSeconds(3));
        assertThat(mails)
                .as("two links a minute for all names together")
                .extracting(Envelope::target)
                .containsExactlyInAnyOrder("alice@cluster.example.org", "bob@cluster.example.org");
    }

    /** Asks for alice's link and returns the one envelope it became, with the (identical) answer's text. */
    private Envelope onlyLinkOfAlice(List<String> answers) throws Exception {
        ApiTestbed.Answer asked = bed.post(api, "/v1/me/link", "{\"user\": \"alice\"}");
        assertThat(asked.status()).as(asked.text()).isEqualTo(202);
        answers.add(asked.text());
        return bed.drainExactly(queue, 1, Duration.ofSeconds(1)).getFirst();
    }

    private void savePreferences(String user, String body) throws Exception {
        ApiTestbed.Answer saved =
                bed.send(HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/users/" + user + "/preferences"))
                        .header("Content-Type", "application/json")
                        .headers(bearer(ADMIN_TOKEN))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    }

    @Test
    void theLinkGoesToTheDefaultReceiverMailboxOrLinkedChatWithTheSameAnswerEachTime() throws Exception {
        List<String> answers = new java.util.ArrayList<>();
        Instant linked = Instant.parse("2026-12-07T09:00:00Z");

        // A linked chat the preferences do not name: the mailbox stays the default.
        links.link("alice", "telegram", "555", "hpc1", linked);
        Envelope mailbox = onlyLinkOfAlice(answers);
        assertThat(mailbox.channel()).isEqualTo("email");
        assertThat(mailbox.target()).isEqualTo("alice@cluster.example.org");

        // Preferences naming a chat nobody linked prove nothing: still the mailbox.
        savePreferences("alice", "{\"receivers\": {\"phone\": \"telegram:999\"}}");
        assertThat(onlyLinkOfAlice(answers).target()).isEqualTo("alice@cluster.example.org");

        // Preferences naming the linked chat as a receiver: that chat, through SQS like any notification.
        savePreferences(
                "alice", "{\"receivers\": {\"work\": \"mailto:alice@uni.org\", " + "\"phone\": \"telegram:555\"}}");
        Envelope chat = onlyLinkOfAlice(answers);
        assertThat(chat.channel()).isEqualTo("telegram");
        assertThat(chat.target()).isEqualTo("555");
        Matcher m = LINK.matcher(chat.content().text());
        assertThat(m.find()).as(chat.content().text()).isTrue();
        assertThat(exchange(m.group(1)).status())
                .as("the chat's link opens a session")
                .isEqualTo(200);

        assertThat(answers)
                .as("the same 202 whichever way the link went")
                .hasSize(3)
                .containsOnly(answers.get(0));
    }

    @Test
    void withoutAMailDomainTheLinkGoesToTheChatLinkedLastOrNowhereWithTheSameAnswer() throws Exception {
        api = startApi(config(5), "");
        List<String> answers = new java.util.ArrayList<>();

        ApiTestbed.Answer nowhere = bed.post(api, "/v1/me/link", "{\"user\": \"alice\"}");
        assertThat(nowhere.status()).isEqualTo(202);
        answers.add(nowhere.text());
        links.link("alice", "telegram", "111", "hpc1", Instant.parse("2026-12-07T08:00:00Z"));
        links.link("alice", "telegram", "222", "hpc1", Instant.parse("2026-12-07T09:00:00Z"));

        Envelope latest = onlyLinkOfAlice(answers);

        assertThat(latest.channel()).isEqualTo("telegram");
        assertThat(latest.target())
                .as("nothing went out for the first ask, then the chat linked last")
                .isEqualTo("222");
        assertThat(answers).containsOnly(answers.get(0));
    }

    @Test
    void aLinkWorksOnceAReusedOneIsRefusedSayingSo() throws Exception {
        String token = linkFor("alice");

        assertThat(exchange(token).status()).isEqualTo(200);
        ApiTestbed.Answer again = exchange(token);

        assertThat(again.status()).isEqualTo(401);
        assertThat(again.errors().get("token")).contains("already used").contains("Ask for a new one");
    }

    @Test
    void anExpiredLinkIsRefusedSayingSo() throws Exception {
        String token = linkFor("alice");
        clock.advance(Duration.ofMinutes(15));

        ApiTestbed.Answer late = exchange(token);

        assertThat(late.status()).isEqualTo(401);
        assertThat(late.errors().get("token")).contains("expired").contains("15 minutes");
    }

    @Test
    void aLinkWithAForgedSignatureOrAnotherUserSwappedInIsRefused() throws Exception {
        String token = linkFor("alice");
        String[] parts = token.split("\\.");
        String bob = Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes(StandardCharsets.UTF_8));
        String swapped = String.join(".", parts[0], bob, parts[2], parts[3], parts[4]);
        String resigned = String.join(
                ".",
                parts[0],
                parts[1],
                parts[2],
                parts[3],
                Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));

        for (String forged : List.of(swapped, resigned, "garbage", token.substring(0, token.length() - 3))) {
            ApiTestbed.Answer refused = exchange(forged);
            assertThat(refused.status()).as(forged).isEqualTo(401);
            assertThat(refused.errors().get("token")).contains("not valid");
        }
        assertThat(exchange(token).status())
                .as("the real link still works once")
                .isEqualTo(200);
    }

    @Test
    void aSessionOfAliceCannotReadOrSetBobsPreferences() throws Exception {
        assertThat(bed.send(HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/users/bob/preferences"))
                                .header("Content-Type", "application/json")
                                .headers(bearer(ADMIN_TOKEN))
                                .PUT(HttpRequest.BodyPublishers.ofString(PREFS.replace("alice", "bob")))
                                .build())
                        .status())
                .isEqualTo(200);
        String alice = sessionFor("alice");

        ApiTestbed.Answer read = bed.get(api, "/v1/users/bob/preferences", bearer(alice));
        ApiTestbed.Answer written = bed.send(HttpRequest.newBuilder(ApiTestbed.uri(api, "/v1/users/bob/preferences"))
                .header("Content-Type", "application/json")
                .headers(bearer(alice))
                .PUT(HttpRequest.BodyPublishers.ofString(PREFS))
                .build());
        ApiTestbed.Answer asBob =
                putOwn(PREFS.replace("{\"receivers\"", "{\"user\": \"bob\", \"receivers\""), bearer(alice));

        assertThat(read.status()).as("a session is not an API key").isEqualTo(401);
        assertThat(written.status()).isEqualTo(401);
        assertThat(asBob.status())
                .as("the body may not name another user: " + asBob.text())
                .isEqualTo(400);
        assertThat(store.find("bob"))
                .hasValueSatisfying(p -> assertThat(p.updatedBy()).isEqualTo("ops"));
        assertThat(store.find("alice")).isEmpty();
    }

    @Test
    void aLinkIsNotASessionAndAnAdminKeyIsNotOneEither() throws Exception {
        String token = linkFor("alice");

        assertThat(bed.get(api, "/v1/me/preferences", bearer(token)).status()).isEqualTo(401);
        assertThat(bed.get(api, "/v1/me/preferences", bearer(ADMIN_TOKEN)).status())
                .isEqualTo(401);
        assertThat(bed.get(api, "/v1/me/preferences").status()).isEqualTo(401);
        assertThat(exchange(token).status())
                .as("and the refused tries did not use the link up")
                .isEqualTo(200);
    }

    @Test
    void anExpiredSessionIsRefusedAndAnAdminKeyStillWorksOnUsersPreferences() throws Exception {
        String session = sessionFor("alice");
        clock.advance(Duration.ofHours(1));

        ApiTestbed.Answer expired = bed.get(api, "/v1/me/preferences", bearer(session));
        ApiTestbed.Answer admin = bed.get(api, "/v1/users/alice/preferences", bearer(ADMIN_TOKEN));

        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errors().get("base")).contains("expired");
        assertThat(admin.status())
                .as("404: alice saved nothing; the admin got through")
                .isEqualTo(404);
    }

    @Test
    void aReceiverOnAChannelWithoutAProviderIsRefusedWithTheReason() throws Exception {
        String session = sessionFor("alice");

        ApiTestbed.Answer refused = putOwn("{\"receivers\": {\"chat\": \"slack:C0123\"}}", bearer(session));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors().get("receivers.chat")).contains("channel slack has no provider");
        assertThat(store.find("alice")).isEmpty();
    }

    @Test
    void badRequestsNameWhatIsWrongAndAnApiWithoutLinksSaysTheyAreOff() throws Exception {
        assertThat(bed.post(api, "/v1/me/link", "{\"user\": \"-rf\"}").errors()).containsKey("user");
        assertThat(bed.post(api, "/v1/me/link", "{}").errors().get("user")).contains("required");
        assertThat(bed.post(api, "/v1/me/session", "{}").errors().get("token")).contains("required");

        HeraldApi off = bed.start(b -> b.preferences(store, Set.of("email")));
        ApiTestbed.Answer link = bed.post(off, "/v1/me/link", "{\"user\": \"alice\"}");
        assertThat(link.status()).isEqualTo(503);
        assertThat(link.errors().get("base")).contains("api.selfService.publicUrl");
    }
}
