package io.herald.mailprog.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.EventKind;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.QuietHours;
import io.herald.core.preferences.RecentJobs;
import io.herald.core.preferences.UserPreferences;
import io.herald.core.preferences.UserStores;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.DynamoStatusStore;
import io.herald.core.status.StatusTable;
import io.herald.core.status.StatusUpdate;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The bot's commands against a fake Bot API speaking real HTTP on 127.0.0.1 and a real status table (DynamoDB Local):
 * linking, preferences and the job bot, each only for the chat's own user.
 */
class BotCommandsTest {

    private static final String TOKEN = "123456:AAE-secret-token-value";
    private static final String BOT = "/bot" + TOKEN;
    private static final long ALICE_CHAT = 7001;
    private static final long BOB_CHAT = 7002;
    private static final long STRANGER_CHAT = 7003;

    @RegisterExtension
    static WireMockExtension telegram = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbClient dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private final PreferencesCodec codec = new PreferencesCodec();
    private final ObjectMapper json = new ObjectMapper();
    private UserStores users;
    private DynamoStatusStore status;
    private int updateId;

    @BeforeAll
    static void startEngine() {
        dynamoDb = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(dynamoDb.endpoint().toString(), d.region(), "unused", d.ttl()));
    }

    @AfterAll
    static void stopEngine() {
        dynamo.close();
        dynamoDb.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        String table = "bot-" + TABLES.incrementAndGet();
        StatusTable.createIfMissing(dynamo, table);
        users = UserStores.inStatusTable(dynamo, table, Duration.ofDays(7));
        status = new DynamoStatusStore(dynamo, table, Duration.ofDays(7), Clock.systemUTC());
        telegram.stubFor(post(urlEqualTo(BOT + "/getMe"))
                .willReturn(okJson(
                        "{\"ok\":true,\"result\":{\"id\":999,\"is_bot\":true," + "\"username\":\"HeraldSlurmBot\"}}")));
        telegram.stubFor(post(urlEqualTo(BOT + "/sendMessage"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1}}")));
        users.links().link("alice", "telegram", Long.toString(ALICE_CHAT), "hpc1", Instant.now());
        users.links().link("bob", "telegram", Long.toString(BOB_CHAT), "hpc1", Instant.now());
        prefer("alice", """
                {"receivers": {"work": "mailto:alice@uni.org", "phone": "telegram:7001"},
                 "events": {"END": {"receivers": ["phone"], "digest": "hourly"}}}""");
        prefer("bob", """
                {"receivers": {"bobmail": "mailto:bob@secret.org"}, "mute": {"clusters": ["bobcluster"]}}""");
    }

    private void prefer(String user, String text) throws Exception {
        users.preferences()
                .save(((PreferencesCodec.Valid) codec.read(user, codec.parse(text), Set.of("email", "telegram")))
                        .preferences());
    }

    /** Sends one message from {@code chat} through the bot and returns the bot's reply text. */
    private String say(long chat, String type, String text) throws Exception {
        telegram.resetRequests();
        String update = """
                {"ok":true,"result":[{"update_id":%d,"message":{"message_id":1,"date":1767600000,
                 "chat":{"id":%d,"type":"%s"},"from":{"id":%d,"is_bot":false,"first_name":"U"},"text":%s}}]}""";
        telegram.stubFor(post(urlEqualTo(BOT + "/getUpdates"))
                .willReturn(okJson(update.formatted(++updateId, chat, type, chat, json.writeValueAsString(text)))));
        BotCommands commands = new BotCommands(users, status, ZoneId.of("UTC"), Clock.systemUTC());
        try (TelegramBot bot = new TelegramBot(
                        new TelegramApi(URI.create(telegram.baseUrl()), Secret.of(TOKEN)),
                        Optional.empty(),
                        Duration.ZERO,
                        Optional.of(commands))
                .identify()) {
            bot.pollOnce();
        }
        List<LoggedRequest> sent = telegram.findAll(postRequestedFor(urlEqualTo(BOT + "/sendMessage")));
        if (sent.isEmpty()) {
            return null;
        }
        assertThat(sent).hasSize(1);
        assertThat(json.readTree(sent.getFirst().getBodyAsString())
                        .path("chat_id")
                        .asLong())
                .isEqualTo(chat);
        return json.readTree(sent.getFirst().getBodyAsString()).path("text").asText();
    }

    private String say(long chat, String text) throws Exception {
        return say(chat, "private", text);
    }

    @Test
    void linkGivesACodeThatRedeemsForThisChat() throws Exception {
        String reply = say(STRANGER_CHAT, "/link");

        String code = reply.replaceAll("(?s).*--mail-user=link:([A-Z0-9]+).*", "$1");
        assertThat(code).hasSize(8);
        assertThat(reply).contains("15 minutes");
        assertThat(users.links().redeem(code, Instant.now()))
                .isEqualTo(new ChatLinks.Redeemed("telegram", Long.toString(STRANGER_CHAT)));
    }

    @Test
    void anUnlinkedChatIsToldToLinkAndSeesNobodysPreferences() throws Exception {
        for (String command : List.of("/prefs", "/jobs", "/last", "/quiet 22:00-07:00", "/mute hpc1")) {
            assertThat(say(STRANGER_CHAT, command))
                    .as(command)
                    .contains("not linked")
                    .contains("/link")
                    .doesNotContain("alice")
                    .doesNotContain("bob");
        }
        assertThat(users.preferences().find("alice").orElseThrow().quietHours()).isNull();
    }

    @Test
    void prefsShowsTheLinkedUsersOwnAndRefusesToNameAnother() throws Exception {
        String alice = say(ALICE_CHAT, "/prefs");
        assertThat(alice)
                .contains("Preferences of alice")
                .contains("work=mailto:alice@uni.org")
                .contains("END: phone (hourly digest)")
                .doesNotContain("bob");

        assertThat(say(ALICE_CHAT, "/prefs bob"))
                .contains("only the preferences of alice")
                .doesNotContain("bob@secret.org")
                .doesNotContain("bobcluster");
        assertThat(say(ALICE_CHAT, "/prefs@HeraldSlurmBot")).contains("Preferences of alice");
    }

    @Test
    void quietSetsAndEndsQuietHoursOfTheLinkedUserOnly() throws Exception {
        assertThat(say(ALICE_CHAT, "/quiet 22:00-7:00 Europe/Berlin"))
                .contains("22:00-07:00 Europe/Berlin")
                .contains("FAIL break through");

        QuietHours q = users.preferences().find("alice").orElseThrow().quietHours();
        assertThat(q)
                .isEqualTo(new QuietHours(
                        LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneId.of("Europe/Berlin"), Set.of(EventKind.FAIL)));
        UserPreferences saved = users.preferences().find("alice").orElseThrow();
        assertThat(saved.updatedBy()).isEqualTo("telegram:" + ALICE_CHAT);
        assertThat(saved.receivers()).containsOnlyKeys("work", "phone");
        assertThat(users.preferences().find("bob").orElseThrow().quietHours()).isNull();

        assertThat(say(ALICE_CHAT, "/quiet off")).contains("off");
        assertThat(users.preferences().find("alice").orElseThrow().quietHours()).isNull();
    }

    @Test
    void badQuietInputGetsOneLineReasonAndChangesNothing() throws Exception {
        assertThat(say(ALICE_CHAT, "/quiet")).startsWith("Usage: /quiet");
        assertThat(say(ALICE_CHAT, "/quiet 25:00-07:00"))
                .contains("not a span of two times")
                .doesNotContain("\n");
        assertThat(say(ALICE_CHAT, "/quiet 22:00")).contains("not a span like 22:00-07:00");
        assertThat(say(ALICE_CHAT, "/quiet 22:00-07:00 Mars/Olympus")).contains("not a time zone");
        assertThat(say(ALICE_CHAT, "/quiet 08:00-08:00")).contains("must not start and end at the same time");
        assertThat(say(ALICE_CHAT, "/quiet 22:00-07:00 bob")).contains("not a time zone");
        assertThat(users.preferences().find("alice").orElseThrow().quietHours()).isNull();
    }

    @Test
    void muteAndUnmuteChangeTheLinkedUsersMuteAndSayWhat() throws Exception {
        assertThat(say(ALICE_CHAT, "/mute hpc1/debug")).contains("Muted partition hpc1/debug");
        assertThat(say(ALICE_CHAT, "/mute hpc2")).contains("Muted cluster hpc2");
        assertThat(say(ALICE_CHAT, "/mute hpc2")).contains("muted already; nothing changed");
        assertThat(users.preferences().find("alice").orElseThrow().mute().reason("hpc1", "debug"))
                .isPresent();

        assertThat(say(ALICE_CHAT, "/unmute hpc2")).contains("Unmuted cluster hpc2");
        assertThat(say(ALICE_CHAT, "/unmute hpc3")).contains("was not muted");
        assertThat(say(ALICE_CHAT, "/mute a/b/c")).contains("not CLUSTER or CLUSTER/PARTITION");
        assertThat(say(ALICE_CHAT, "/mute")).startsWith("Usage: /mute");
        assertThat(users.preferences().find("alice").orElseThrow().mute().clusters())
                .isEmpty();
        assertThat(users.preferences().find("bob").orElseThrow().mute().clusters())
                .containsExactly("bobcluster");
    }

    @Test
    void aUserWithoutPreferencesIsToldWhatComesFirst() throws Exception {
        users.links().link("carol", "telegram", "7004", null, Instant.now());

        assertThat(say(7004, "/prefs")).contains("carol has no preferences");
        assertThat(say(7004, "/quiet 22:00-07:00"))
                .contains("no preferences yet")
                .contains("herald prefs set carol");
        assertThat(users.preferences().find("carol")).isEmpty();
    }

    @Test
    void jobsAndLastListTheLinkedUsersNotificationsWithTheirStates() throws Exception {
        Instant at = Instant.parse("2026-12-07T17:00:00Z");
        users.jobs()
                .add(
                        "alice",
                        List.of(
                                new RecentJobs.JobNotice(
                                        "4242001",
                                        "train",
                                        "hpc1",
                                        "END",
                                        "COMPLETED",
                                        at,
                                        null,
                                        List.of(new RecentJobs.Sent("m-1", "email:alice@uni.org"))),
                                new RecentJobs.JobNotice(
                                        "4242004",
                                        "prep",
                                        "hpc1",
                                        "FAIL",
                                        "FAILED",
                                        at.plusSeconds(60),
                                        null,
                                        List.of(
                                                new RecentJobs.Sent("m-2", "email:alice@uni.org"),
                                                new RecentJobs.Sent("m-3", "telegram:7001")))));
        users.jobs()
                .add(
                        "bob",
                        List.of(new RecentJobs.JobNotice(
                                "666",
                                "bobsecret",
                                "hpc1",
                                "END",
                                "COMPLETED",
                                at,
                                null,
                                List.of(new RecentJobs.Sent("m-9", "email:bob@secret.org")))));
        status.record(new StatusUpdate("m-1", new DeliveryState.Delivered("ses", "x"), at.plusSeconds(2)));
        status.record(new StatusUpdate("m-2", new DeliveryState.Delivered("ses", "y"), at.plusSeconds(62)));

        String jobs = say(ALICE_CHAT, "/jobs");
        assertThat(jobs)
                .contains(
                        "job 4242004 prep: FAIL FAILED - email:alice@uni.org delivered, telegram:7001 on " + "its way")
                .contains("job 4242001 train: END COMPLETED - delivered")
                .doesNotContain("666")
                .doesNotContain("bobsecret");
        assertThat(jobs.indexOf("4242004")).isLessThan(jobs.indexOf("4242001"));

        String last = say(ALICE_CHAT, "/last");
        assertThat(last)
                .startsWith("Job 4242004 (prep)")
                .contains("event: FAIL, state FAILED")
                .contains("email:alice@uni.org: delivered at 12-07 17:01")
                .contains("telegram:7001: on its way");
        assertThat(say(ALICE_CHAT, "/jobs bob"))
                .contains("only the jobs of alice")
                .doesNotContain("666");
        assertThat(say(BOB_CHAT, "/last")).contains("Job 666").doesNotContain("4242");
    }

    @Test
    void inAGroupCommandsAddressedToTheBotAreRefusedAndOthersIgnored() throws Exception {
        users.links().link("alice", "telegram", "-100123", null, Instant.now());

        assertThat(say(-100123, "supergroup", "/prefs@HeraldSlurmBot"))
                .contains("only in a private chat")
                .doesNotContain("alice");
        assertThat(say(-100123, "supergroup", "/prefs")).isNull();
        assertThat(say(-100123, "supergroup", "/link@OtherBot")).isNull();
        assertThat(say(ALICE_CHAT, "/prefs@OtherBot")).isNull();
    }

    @Test
    void startMentionsLinkingWhenCommandsAreOn() throws Exception {
        assertThat(say(STRANGER_CHAT, "/start"))
                .contains("--mail-user=telegram:" + STRANGER_CHAT)
                .contains("/link");
        assertThat(say(STRANGER_CHAT, "/nonsense")).isNull();
        assertThat(say(STRANGER_CHAT, "/help")).contains("/quiet 22:00-07:00");
    }
}
