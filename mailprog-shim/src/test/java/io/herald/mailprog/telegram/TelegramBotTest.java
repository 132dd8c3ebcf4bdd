package io.herald.mailprog.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.config.Secret;
import io.herald.core.receiver.ReceiverAllowList;
import io.herald.core.receiver.ReceiverParser;
import io.herald.mailprog.route.ChatRegistry;
import io.herald.mailprog.route.Routing;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The bot against a fake Bot API speaking real HTTP on 127.0.0.1. */
class TelegramBotTest {

    private static final String TOKEN = "123456:AAE-secret-token-value";
    private static final String BOT = "/bot" + TOKEN;

    @RegisterExtension
    static WireMockExtension telegram = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger botLogger = (Logger) LoggerFactory.getLogger("io.herald.mailprog.telegram");

    @BeforeEach
    void stubs() {
        logs.start();
        botLogger.addAppender(logs);
        telegram.stubFor(post(urlEqualTo(BOT + "/getMe"))
                .willReturn(okJson(
                        "{\"ok\":true,\"result\":{\"id\":999,\"is_bot\":true,\"username\":\"HeraldSlurmBot\"}}")));
        telegram.stubFor(post(urlEqualTo(BOT + "/sendMessage"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1}}")));
    }

    @AfterEach
    void detach() {
        botLogger.detachAppender(logs);
    }

    private void updates(String... updates) {
        telegram.stubFor(post(urlEqualTo(BOT + "/getUpdates"))
                .willReturn(okJson("{\"ok\":true,\"result\":[" + String.join(",", updates) + "]}")));
    }

    private static String message(long updateId, long chatId, String type, String text, String extra) {
        return """
                {"update_id":%d,"message":{"message_id":%d,"date":1767600000,"chat":{"id":%d,"type":"%s"},
                 "from":{"id":51234,"is_bot":false,"first_name":"Alice"},"text":"%s"%s}}\
                """.formatted(updateId, updateId, chatId, type, text, extra);
    }

    private TelegramBot bot(Optional<ChatRegistry> registry) {
        return new TelegramBot(
                        new TelegramApi(URI.create(telegram.baseUrl()), Secret.of(TOKEN)), registry, Duration.ZERO)
                .identify();
    }

    private List<LoggedRequest> sent() {
        return telegram.findAll(postRequestedFor(urlEqualTo(BOT + "/sendMessage")));
    }

    @Test
    void startInAPrivateChatIsAnsweredWithTheExactMailUser() {
        updates(message(1, 123456789, "private", "/start", ""));

        try (TelegramBot bot = bot(Optional.empty())) {
            assertThat(bot.pollOnce()).isEqualTo(1);
        }

        telegram.verify(postRequestedFor(urlEqualTo(BOT + "/sendMessage"))
                .withRequestBody(matchingJsonPath("$.chat_id", equalTo("123456789"))));
        assertThat(sent())
                .singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("\\n\\n--mail-user=telegram:123456789\\n\\n"));
    }

    @Test
    void inGroupsItStaysQuietUnlessAddressed() {
        updates(
                message(1, -1001234567890L, "supergroup", "/start", ""),
                message(2, -1001234567890L, "supergroup", "hello everyone", ""),
                message(3, -1001234567890L, "group", "/start@SomeOtherBot", ""));

        try (TelegramBot bot = bot(Optional.empty())) {
            assertThat(bot.pollOnce()).isEqualTo(3);
        }

        assertThat(sent()).isEmpty();
    }

    @Test
    void startAddressedToTheBotInAGroupIsAnsweredWithTheGroupsChatId() {
        updates(message(1, -1001234567890L, "supergroup", "/start@HeraldSlurmBot", ""));

        try (TelegramBot bot = bot(Optional.empty())) {
            bot.pollOnce();
        }

        assertThat(sent())
                .singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString())
                        .contains("\"chat_id\":-1001234567890")
                        .contains("--mail-user=telegram:-1001234567890")
                        .contains("group"));
    }

    @Test
    void aMentionOfTheBotInAGroupIsAnswered() {
        updates(message(
                1,
                -42,
                "group",
                "hey @HeraldSlurmBot what do I write?",
                ",\"entities\":[{\"type\":\"mention\",\"offset\":4,\"length\":15}]"));

        try (TelegramBot bot = bot(Optional.empty())) {
            bot.pollOnce();
        }

        assertThat(sent())
                .singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("--mail-user=telegram:-42"));
    }

    @Test
    void beingAddedToAGroupAnnouncesTheGroupsMailUser() {
        updates(message(
                1, -77, "group", "", ",\"new_chat_members\":[{\"id\":999,\"is_bot\":true,\"first_name\":\"Herald\"}]"));

        try (TelegramBot bot = bot(Optional.empty())) {
            bot.pollOnce();
        }

        assertThat(sent())
                .singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("--mail-user=telegram:-77"));
    }

    @Test
    void handledUpdatesAreConfirmedByTheNextOffset() {
        updates(message(41, 5, "private", "hi", ""), message(42, 5, "private", "/start", ""));

        try (TelegramBot bot = bot(Optional.empty())) {
            bot.pollOnce();
            bot.pollOnce();
        }

        List<LoggedRequest> polls = telegram.findAll(postRequestedFor(urlEqualTo(BOT + "/getUpdates")));
        assertThat(polls.get(0).getBodyAsString()).contains("\"offset\":0");
        assertThat(polls.get(1).getBodyAsString()).contains("\"offset\":43");
    }

    @Test
    void answeredChatsAreRegisteredAndOnlyThoseReachTheForwarder() throws Exception {
        Path registryFile = dir.resolve("telegram-chats");
        updates(message(1, 1111, "private", "/start", ""));

        try (TelegramBot bot = bot(Optional.of(new ChatRegistry(registryFile)))) {
            bot.pollOnce();
        }

        assertThat(Files.readAllLines(registryFile)).containsExactly("1111");
        Routing routing = new Routing(
                ReceiverParser.standard("mailto"),
                "mailto",
                "",
                ReceiverAllowList.allowAll(),
                Optional.of(new ChatRegistry(registryFile)));
        Routing.Routed routed = routing.route("telegram:1111,telegram:2222");
        assertThat(routed.receivers()).extracting(r -> r.target()).containsExactly("1111");
        assertThat(routed.problems())
                .singleElement()
                .asString()
                .contains("telegram:2222")
                .contains("/start");
    }

    @Test
    void theTokenNeverAppearsInLogsEvenWhenTelegramEchoesIt() throws Exception {
        telegram.stubFor(post(urlEqualTo(BOT + "/getUpdates"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized: bot" + TOKEN
                                + " is not valid\"}")));

        try (TelegramBot bot = bot(Optional.empty()).start()) {
            // The appender's list is read while the bot's thread may append to it.
            await().atMost(Duration.ofSeconds(30))
                    .ignoreException(ConcurrentModificationException.class)
                    .until(() -> logs.list.stream()
                            .anyMatch(e -> e.getFormattedMessage().contains("401")));
        }

        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("HTTP 401")
                        .contains("Unauthorized: bot<token> is not valid")
                        .contains("token was refused"));
        assertThat(logs.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain(TOKEN).doesNotContain("AAE-secret");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void anUnreachableApiIsReportedWithoutTheUrl() {
        TelegramApi api = new TelegramApi(URI.create("http://127.0.0.1:1"), Secret.of(TOKEN));

        try (api) {
            api.getMe();
        } catch (TelegramApiException e) {
            assertThat(e.getMessage())
                    .startsWith("getMe: Telegram could not be reached")
                    .doesNotContain(TOKEN);
            return;
        }
        throw new AssertionError("getMe against a closed port succeeded");
    }
}
