package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.sqs.QueueRef;
import io.herald.core.status.StatusTable;
import io.herald.core.unsubscribe.Categories;
import io.herald.core.unsubscribe.UnsubscribeTokens;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RFC 8058 one-click unsubscribe at {@code /u/{token}} against the real suppression list ({@link DynamoSuppressions} on
 * DynamoDB Local) and real ElasticMQ; every answer is checked against openapi.json by the testbed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnsubscribeApiTest {

    private static final Instant NOW = Instant.parse("2026-12-07T21:00:00Z");
    private static final Secret SECRET = Secret.of("unsubscribe-" + UUID.randomUUID() + "-" + UUID.randomUUID());

    private final UnsubscribeTokens tokens = new UnsubscribeTokens(SECRET);
    private ApiTestbed bed;
    private HeraldApi api;
    private Suppressions suppressions;
    private List<QueueRef> queues;
    private int tables;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
    }

    @BeforeEach
    void freshApi() {
        String table = "unsub-" + (++tables);
        StatusTable.createIfMissing(bed.dynamoClient, table);
        suppressions = new DynamoSuppressions(bed.dynamoClient, table);
        queues = bed.freshQueues(1);
        api = bed.start(
                ApiTestbed.DEFAULT_API,
                queues,
                b -> b.clock(Clock.fixed(NOW, ZoneOffset.UTC)).unsubscribe(tokens, suppressions));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    /** What a mail client sends for List-Unsubscribe-Post: a form-encoded body, no cookie, no Authorization. */
    private ApiTestbed.Answer oneClick(String token, String body) throws Exception {
        return bed.send(HttpRequest.newBuilder(ApiTestbed.uri(api, "/u/" + token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    @Test
    void aMailClientsOneClickPostSuppressesThatAddressForThatCategoryAtOnce() throws Exception {
        String token = tokens.issue("Alice@Uni.org", "newsletter");

        ApiTestbed.Answer done = oneClick(token, "List-Unsubscribe=One-Click");

        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(done.header("Content-Type")).startsWith("text/html");
        assertThat(done.header("Set-Cookie")).isNull();
        assertThat(done.text()).contains("newsletter");
        assertThat(suppressions.find("alice@uni.org", "newsletter"))
                .contains(new Suppression("alice@uni.org", "newsletter", "unsubscribed", "unsubscribe", NOW));
        assertThat(suppressions.find("alice@uni.org", "slurm:hpc1"))
                .as("only that category")
                .isEmpty();
        ApiTestbed.Answer again = oneClick(token, "");
        assertThat(again.status())
                .as("an empty body, and a second time, are fine")
                .isEqualTo(200);
    }

    @Test
    void openingTheLinkShowsTheCategoryEscapedWithAButtonAndUnsubscribesNobody() throws Exception {
        String token = tokens.issue("bob@uni.org", "a<b>&c");

        ApiTestbed.Answer page = bed.get(api, "/u/" + token);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text())
                .contains("a&lt;b&gt;&amp;c")
                .doesNotContain("a<b>")
                .contains("<form method=\"post\">")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(suppressions.list(null, 10)).isEmpty();
    }

    @Test
    void aForgedOrChangedTokenIsRefusedAndChangesNothing() throws Exception {
        String real = tokens.issue("carol@uni.org", "newsletter");
        String theirs = new UnsubscribeTokens(Secret.of("x".repeat(40))).issue("carol@uni.org", "newsletter");
        String swapped = real.substring(0, real.lastIndexOf('.')) + theirs.substring(theirs.lastIndexOf('.'));

        for (String bad : List.of(theirs, swapped, "u1.nothing", "garbage")) {
            ApiTestbed.Answer refused = oneClick(bad, "List-Unsubscribe=One-Click");
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(bed.get(api, "/u/" + bad).status()).isEqualTo(400);
        }
        assertThat(suppressions.list(null, 10)).isEmpty();
    }

    @Test
    void anOversizeBodyIsRefusedAndChangesNothing() throws Exception {
        ApiTestbed.Answer refused =
                oneClick(tokens.issue("dave@uni.org", "newsletter"), "x".repeat(UnsubscribeHandler.MAX_BODY_BYTES + 1));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(suppressions.list(null, 10)).isEmpty();
    }

    @Test
    void withoutUnsubscribeLinksTheRouteSaysSo() throws Exception {
        HeraldApi plain = bed.start(b -> b);
        try {
            ApiTestbed.Answer off = bed.get(plain, "/u/" + tokens.issue("erin@uni.org", "newsletter"));
            assertThat(off.status()).isEqualTo(404);
            assertThat(off.text()).contains("unsubscribe.publicUrl");
        } finally {
            plain.close();
        }
    }

    @Test
    void aRequestsCategoryReachesTheEnvelopeAndABadOneIsAFieldError() throws Exception {
        ApiTestbed.Answer sent = bed.post(api, "/v1/notifications", """
                {"to": "mailto:frank@uni.org,mailto:gina@uni.org", "from": "ops@example.com",
                 "title": "Maintenance", "text": "Tonight", "category": "maintenance"}""");
        ApiTestbed.Answer receipt = bed.post(api, "/email/send", """
                {"email": {"fromEmail": "ops@example.com", "toEmail": "frank@uni.org", "subject": "Receipt",
                 "body": "Thanks", "category": "transactional"}}""");
        ApiTestbed.Answer plain = bed.post(api, "/email/send", """
                {"email": {"fromEmail": "ops@example.com", "toEmail": "frank@uni.org", "subject": "Hi",
                 "body": "Hello", "category": ""}}""");

        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        // gomail's /email/send answers 200.
        assertThat(receipt.status()).as(receipt.text()).isEqualTo(200);
        assertThat(plain.status()).as(plain.text()).isEqualTo(200);
        List<String> categories = bed.drain(queues.getFirst(), 4).stream()
                .map(Envelope::category)
                .sorted()
                .toList();
        assertThat(categories)
                .containsExactly(Categories.DEFAULT, "maintenance", "maintenance", Envelope.TRANSACTIONAL);

        ApiTestbed.Answer bad = bed.post(api, "/v1/notifications", """
                {"to": "mailto:frank@uni.org", "from": "ops@example.com", "text": "x", "category": "no spaces"}""");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.errors()).containsKey("category");
        assertThat(bad.errors().get("category")).contains("only letters, digits");
        ApiTestbed.Answer badEmail = bed.post(api, "/email/send", """
                {"email": {"fromEmail": "ops@example.com", "toEmail": "frank@uni.org", "body": "x",
                 "category": 5}}""");
        assertThat(badEmail.status()).isEqualTo(422);
        assertThat(badEmail.errors()).containsEntry("category", "Category must be a string");
    }
}
