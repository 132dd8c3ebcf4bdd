package io.herald.core.preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.dynamo.DynamoTesting;
import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Link codes, chat links and users' recent jobs against a real DynamoDB engine (DynamoDB Local, in-process). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoChatLinksTest {

    /** Ahead of the clock: DynamoDB Local's TTL sweeper deletes items whose expiresAt has passed. */
    private static final Instant NOW = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

    private EmbeddedDynamoDb embedded;
    private DynamoDbClient dynamo;
    private String table;
    private ChatLinks links;

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
        table = DynamoTesting.uniqueTable("links");
        StatusTable.createIfMissing(dynamo, table);
        links = new DynamoChatLinks(dynamo, table);
    }

    @Test
    void aCodeIsShortUnambiguousAndRedeemsOnceForItsChat() {
        String code = links.issueCode("telegram", "123456", NOW);

        assertThat(code).hasSize(8).matches("[A-HJKMNP-Z2-9]{8}");
        assertThat(links.redeem(code.toLowerCase(), NOW.plusSeconds(60)))
                .isEqualTo(new ChatLinks.Redeemed("telegram", "123456"));
        assertThat(links.redeem(code, NOW.plusSeconds(61))).as("single use").isInstanceOf(ChatLinks.UnknownCode.class);
        Map<String, AttributeValue> gone = dynamo.getItem(
                        b -> b.tableName(table).key(Map.of(StatusTable.KEY, AttributeValue.fromS("linkcode#" + code))))
                .item();
        assertThat(gone).isNullOrEmpty();
    }

    @Test
    void codesDifferAndCarryTheStatusTablesExpiry() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            codes.add(links.issueCode("telegram", "1", NOW));
        }
        assertThat(codes).hasSize(20);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of(
                                StatusTable.KEY,
                                AttributeValue.fromS(
                                        "linkcode#" + codes.iterator().next()))))
                .item();
        assertThat(item.get(StatusTable.EXPIRES_AT).n())
                .isEqualTo(Long.toString(NOW.plusSeconds(900).getEpochSecond()));
    }

    @Test
    void anExpiredCodeNamesItsChatButLinksNothingAndIsGone() {
        String code = links.issueCode("telegram", "777", NOW);

        assertThat(links.redeem(code, NOW.plus(ChatLinks.CODE_LIFETIME)))
                .isEqualTo(new ChatLinks.Expired("telegram", "777"));
        assertThat(links.redeem(code, NOW)).isInstanceOf(ChatLinks.UnknownCode.class);
    }

    @Test
    void codesNeverIssuedOrMalformedAreUnknown() {
        assertThat(links.redeem("ABCDEFGH", NOW)).isInstanceOf(ChatLinks.UnknownCode.class);
        assertThat(links.redeem("x'; drop", NOW)).isInstanceOf(ChatLinks.UnknownCode.class);
        assertThat(links.redeem("", NOW)).isInstanceOf(ChatLinks.UnknownCode.class);
    }

    @Test
    void twoRedemptionsRacingGetTheCodeOnceBetweenThem() throws Exception {
        for (int round = 0; round < 5; round++) {
            String code = links.issueCode("telegram", "42", NOW);
            CyclicBarrier together = new CyclicBarrier(2);
            Callable<ChatLinks.Redemption> redeem = () -> {
                together.await();
                return links.redeem(code, NOW);
            };
            List<ChatLinks.Redemption> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<ChatLinks.Redemption>> both = List.of(pool.submit(redeem), pool.submit(redeem));
                for (Future<ChatLinks.Redemption> f : both) {
                    results.add(f.get());
                }
            }
            assertThat(results).filteredOn(r -> r instanceof ChatLinks.Redeemed).hasSize(1);
            assertThat(results)
                    .filteredOn(r -> r instanceof ChatLinks.UnknownCode)
                    .hasSize(1);
        }
    }

    @Test
    void aLinkIsFoundFromTheChatAndFromTheUser() {
        links.link("alice", "telegram", "111", "hpc1", NOW);
        links.link("alice", "telegram", "222", null, NOW.plusSeconds(5));

        assertThat(links.linkOf("telegram", "111"))
                .contains(new ChatLinks.ChatLink("alice", "telegram", "111", "hpc1", NOW));
        assertThat(links.linkOf("telegram", "999")).isEmpty();
        assertThat(links.linksOf("alice"))
                .extracting(ChatLinks.ChatLink::receiver)
                .containsExactly("telegram:111", "telegram:222");
        assertThat(links.linksOf("bob")).isEmpty();
    }

    @Test
    void relinkingAChatToAnotherUserTakesItFromTheFirst() {
        links.link("alice", "telegram", "111", "hpc1", NOW);
        links.link("bob", "telegram", "111", "hpc1", NOW.plusSeconds(1));

        assertThat(links.linkOf("telegram", "111"))
                .hasValueSatisfying(l -> assertThat(l.user()).isEqualTo("bob"));
        assertThat(links.linksOf("alice")).isEmpty();
        assertThat(links.linksOf("bob")).extracting(ChatLinks.ChatLink::chatId).containsExactly("111");
    }

    @Test
    void anUnreachableTableIsAStoreErrorNotACrash() {
        ChatLinks nowhere = new DynamoChatLinks(dynamo, "no-such-table");

        assertThatThrownBy(() -> nowhere.redeem("ABCDEFGH", NOW)).isInstanceOf(PreferencesStoreException.class);
        assertThatThrownBy(() -> nowhere.linkOf("telegram", "1")).isInstanceOf(PreferencesStoreException.class);
    }

    @Test
    void recentJobsKeepTheNewestTwentyNewestFirst() {
        RecentJobs jobs = new DynamoRecentJobs(dynamo, table, Duration.ofDays(7));
        for (int i = 1; i <= 25; i++) {
            jobs.add("alice", List.of(notice(Integer.toString(i), i)));
        }

        List<RecentJobs.JobNotice> recent = jobs.recent("alice");

        assertThat(recent).hasSize(RecentJobs.KEEP);
        assertThat(recent.getFirst().jobId()).isEqualTo("25");
        assertThat(recent.getLast().jobId()).isEqualTo("6");
        assertThat(recent.getFirst().sent()).containsExactly(new RecentJobs.Sent("msg-25", "telegram:111"));
        assertThat(jobs.recent("bob")).isEmpty();
    }

    @Test
    void recentJobsWrittenConcurrentlyLoseNothing() throws Exception {
        RecentJobs jobs = new DynamoRecentJobs(dynamo, table, Duration.ofDays(7));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                writes.add(pool.submit(() -> jobs.add("alice", List.of(notice(Integer.toString(n), n)))));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
        assertThat(jobs.recent("alice"))
                .extracting(RecentJobs.JobNotice::jobId)
                .containsExactlyInAnyOrder("1", "2", "3");
    }

    private static RecentJobs.JobNotice notice(String job, int minute) {
        return new RecentJobs.JobNotice(
                job,
                "train",
                "hpc1",
                "END",
                "COMPLETED",
                NOW.plusSeconds(60L * minute),
                null,
                List.of(new RecentJobs.Sent("msg-" + job, "telegram:111")));
    }
}
