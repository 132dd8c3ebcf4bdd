package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import io.herald.core.config.TelegramBotConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Envelope;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.RecentJobs;
import io.herald.core.preferences.UserStores;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Mailprog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code --mail-user=link:CODE}: herald-mailprog (dash) captures the job, the forwarder redeems the code against a real
 * status table (DynamoDB Local) and puts the chat's confirmation on a real SQS (ElasticMQ). The code is issued as the
 * bot's /link issues it.
 */
class ChatLinkingEndToEndTest {

    private static EmbeddedSqs sqs;
    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbClient dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private UserStores users;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger forwarderLog = (Logger) LoggerFactory.getLogger(Forwarder.class);

    @BeforeAll
    static void startEngines() {
        sqs = EmbeddedSqs.start(0);
        dynamoDb = EmbeddedDynamoDb.start(0);
        HeraldConfig.Status d = HeraldConfig.defaults().status();
        dynamo = DynamoDbClients.create(
                new HeraldConfig.Status(dynamoDb.endpoint().toString(), d.region(), "unused", d.ttl()));
    }

    @AfterAll
    static void stopEngines() {
        dynamo.close();
        dynamoDb.close();
        sqs.close();
    }

    @BeforeEach
    void freshTable() {
        String table = "links-" + TABLES.incrementAndGet();
        StatusTable.createIfMissing(dynamo, table);
        users = UserStores.inStatusTable(dynamo, table, Duration.ofDays(7));
        logs.start();
        forwarderLog.addAppender(logs);
    }

    @AfterEach
    void detach() {
        forwarderLog.detachAppender(logs);
    }

    private Harness harness() throws Exception {
        Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withPreferences(new MailprogConfig.Preferences(true, Duration.ofSeconds(30))));
        h.provision();
        h.drain();
        return h;
    }

    /** Captures a fixture job, with another --mail-user and SLURM_JOB_USER when given. */
    private static void capture(Harness h, String caseId, String mailUser, String user) throws Exception {
        Fixtures.Case c = Fixtures.caseNamed(caseId);
        List<String> args = new ArrayList<>(c.args());
        args.set(args.size() - 1, mailUser);
        List<String> env = new ArrayList<>(c.envEntries());
        if (user != null) {
            env.replaceAll(e -> e.startsWith("SLURM_JOB_USER=") ? "SLURM_JOB_USER=" + user : e);
        }
        assertThat(h.shim.run(args, env).exitCode()).isZero();
    }

    private PassResult forward(Harness h, HeraldConfig config) {
        return forward(h, config, Clock.systemUTC());
    }

    private PassResult forward(Harness h, HeraldConfig config, Clock clock) {
        try (Forwarder forwarder = Mailprog.forwarder(config, h.sink(), clock, users)) {
            return forwarder.pass(true);
        }
    }

    private static long inSpool(Harness h) throws Exception {
        try (var files = Files.list(h.shim.spool().resolve("new"))) {
            return files.count();
        }
    }

    private List<String> warnings() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aJobWithTheCodeLinksTheChatToItsUserConfirmsThereAndSendsNothingElse() throws Exception {
        String code = users.links().issueCode("telegram", "5550001", Instant.now());
        try (Harness h = harness()) {
            capture(h, "end-completed", "link:" + code.toLowerCase(), null);

            PassResult pass = forward(h, h.config);

            List<Envelope> sent = h.drain();
            assertThat(sent).singleElement().satisfies(e -> {
                assertThat(e.channel() + ":" + e.target()).isEqualTo("telegram:5550001");
                assertThat(e.content().text())
                        .contains("linked to Unix user alice on cluster hpc1")
                        .contains("job 4242001")
                        .doesNotContain(code);
            });
            assertThat(users.links().linkOf("telegram", "5550001")).hasValueSatisfying(l -> {
                assertThat(l.user()).isEqualTo("alice");
                assertThat(l.cluster()).isEqualTo("hpc1");
            });
            assertThat(users.links().linksOf("alice"))
                    .extracting(ChatLinks.ChatLink::receiver)
                    .containsExactly("telegram:5550001");
            assertThat(pass.failed()).isZero();
            assertThat(inSpool(h)).isZero();
            assertThat(h.failed()).isEmpty();
            assertThat(users.jobs().recent("alice"))
                    .as("a link is no job notification")
                    .isEmpty();
        }
    }

    @Test
    void aCodeUsedTwiceOrNeverIssuedLinksNothingAndTheLogSaysWhyWithoutTheCode() throws Exception {
        String code = users.links().issueCode("telegram", "5550002", Instant.now());
        try (Harness h = harness()) {
            capture(h, "end-completed", "link:" + code, null);
            forward(h, h.config);
            h.drain();
            capture(h, "fail-exit1", "link:" + code, "mallory");
            capture(h, "begin-simple", "link:ZZZZ2222", "mallory");

            PassResult pass = forward(h, h.config);

            assertThat(h.drain()).as("nothing for the used or unknown codes").isEmpty();
            assertThat(users.links().linksOf("mallory")).isEmpty();
            assertThat(users.links().linkOf("telegram", "5550002"))
                    .hasValueSatisfying(l -> assertThat(l.user()).isEqualTo("alice"));
            assertThat(warnings())
                    .filteredOn(w -> w.contains("mallory")
                            && w.contains("unknown, already used or " + "expired; nothing linked"))
                    .hasSize(2);
            assertThat(warnings()).noneMatch(w -> w.contains(code) || w.contains("ZZZZ2222"));
            assertThat(pass.failed()).isZero();
            assertThat(inSpool(h)).isZero();
        }
    }

    @Test
    void anExpiredCodeTellsItsChatWhyAndLinksNothing() throws Exception {
        // The forwarder's clock runs 16 minutes ahead: a code issued in the past could be swept away by DynamoDB
        // Local's TTL before the job comes (it is then unknown, not expired).
        String code = users.links().issueCode("telegram", "5550003", Instant.now());
        try (Harness h = harness()) {
            capture(h, "end-completed", "link:" + code, null);

            forward(h, h.config, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16)));

            assertThat(h.drain()).singleElement().satisfies(e -> {
                assertThat(e.target()).isEqualTo("5550003");
                assertThat(e.content().text())
                        .contains("expired")
                        .contains("nothing was linked")
                        .contains("/link");
            });
            assertThat(users.links().linkOf("telegram", "5550003")).isEmpty();
            assertThat(warnings()).anyMatch(w -> w.contains("expired before the job used it"));
        }
    }

    @Test
    void otherReceiversBesideTheCodeGetTheJobsNotificationAsUsual() throws Exception {
        String code = users.links().issueCode("telegram", "5550004", Instant.now());
        try (Harness h = harness()) {
            capture(h, "end-completed", "link:" + code + ", mailto:alice@uni.org", null);

            forward(h, h.config);

            assertThat(h.drain())
                    .extracting(e -> e.channel() + ":" + e.target())
                    .containsExactlyInAnyOrder("telegram:5550004", "email:alice@uni.org");
            assertThat(users.jobs().recent("alice")).singleElement().satisfies(n -> {
                assertThat(n.jobId()).isEqualTo("4242001");
                assertThat(n.event()).isEqualTo("END");
                assertThat(n.sent()).extracting(RecentJobs.Sent::receiver).containsExactly("email:alice@uni.org");
            });
        }
    }

    @Test
    void aLinkedChatCountsAsRegisteredForItsUserOnly() throws Exception {
        Path registry = dir.resolve("telegram-chats");
        Files.writeString(registry, "1111\n");
        users.links().link("alice", "telegram", "5550005", "hpc1", Instant.now());
        try (Harness h = harness()) {
            HeraldConfig config = h.config.withTelegramBot(
                    new TelegramBotConfig(null, "", Duration.ofSeconds(1), registry.toString()));
            capture(h, "end-completed", "telegram:5550005", null);
            capture(h, "fail-exit1", "telegram:5550005", "bob");

            forward(h, config);

            assertThat(h.drain())
                    .extracting(e -> e.channel() + ":" + e.target())
                    .as("bob falls back to his default")
                    .containsExactlyInAnyOrder("telegram:5550005", "email:bob@example.org");
            assertThat(warnings()).anyMatch(w -> w.contains("telegram:5550005") && w.contains("linked to bob"));
        }
    }

    @Test
    void withoutPreferencesALinkItemIsRefusedWithTheReason() throws Exception {
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), m -> m)) {
            h.provision();
            h.drain();
            capture(h, "end-completed", "link:ABCD2345", null);

            forward(h, h.config);

            assertThat(h.drain()).isEmpty();
            assertThat(warnings()).anyMatch(w -> w.contains("mailprog.preferences.enabled"));
            assertThat(inSpool(h)).isZero();
        }
    }
}
