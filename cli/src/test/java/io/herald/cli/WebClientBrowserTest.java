package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.feedback.FeedbackDailyCounts;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The web page in a real browser (Debian's Chromium driven by {@code @playwright/test}, with its waiting assertions)
 * against the whole local stack, as {@code ./herald local} runs it. The steps are in web-client/e2e/*.e2e.ts; the
 * screenshots land in cli/target/browser-test.
 */
class WebClientBrowserTest {

    @TempDir
    Path dir;

    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Every port free-picked, so the test runs beside a `./herald local` on the defaults. */
    private HeraldConfig config(String pipeline) {
        return new ConfigLoader(Map.of()).loadYaml("""
                api: {port: 0}
                pipeline: {%s}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: 0, dynamodbPort: 0}
                """.formatted(pipeline, dir.resolve("outbox")));
    }

    /** Field errors, the server's refusals, then a real send followed until the pipeline delivered it. */
    @Test
    void aPersonSeesFieldErrorsThenSendsAndWatchesTheMessageBeingDelivered() throws Exception {
        BrowserScript.assumeWebClientBuilt();
        stack = LocalStack.start(config("adminPort: 0"));

        BrowserScript.Result result = BrowserScript.run("send-page.e2e.ts", stack.apiUrl());

        assertThat(result.finished())
                .as("browser test finished within 10 minutes")
                .isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("ok   the status goes live until delivered")
                .contains("18 passed, 0 failed");
        assertThat(BrowserScript.OUTPUT.resolve("3-delivered.png")).exists();
    }

    /**
     * A Slurm user's own settings page: a link asked for on the page arrives by mail (local mode's outbox), opens the
     * page once, the API's field errors are shown at their fields, the saved choices come back after a reload, a used
     * and a forged link say so and offer a new one.
     */
    @Test
    void aSlurmUserOpensTheirMailedLinkAndEditsTheirOwnSettings() throws Exception {
        BrowserScript.assumeWebClientBuilt();
        HeraldConfig base = config("adminPort: -1");
        HeraldConfig withLinks = base.withApi(base.api()
                        .withSelfService(new HeraldConfig.Api.SelfService(
                                "https://herald.example.org",
                                Secret.of("browser-test-" + UUID.randomUUID()),
                                5,
                                30,
                                Duration.ofMinutes(15),
                                Duration.ofHours(1))))
                .withMailprog(base.mailprog().toBuilder()
                        .mailDomain("cluster.example.org")
                        .build());
        stack = LocalStack.start(withLinks);

        BrowserScript.Result result = BrowserScript.run(
                "me-page.e2e.ts",
                stack.apiUrl(),
                Map.of("HERALD_OUTBOX", dir.resolve("outbox").toString()));

        assertThat(result.finished())
                .as("browser test finished within 10 minutes")
                .isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("ok   the link arrives by mail at alice's default receiver")
                .contains("ok   a receiver on a channel without a provider is refused at its field, with the reason")
                .contains("ok   after a reload the saved choices are shown again")
                .contains("ok   a used link says so")
                .contains("ok   a forged link is refused and says so")
                .contains("15 passed, 0 failed");
        assertThat(BrowserScript.OUTPUT.resolve("me-1-field-errors.png")).exists();
    }

    /**
     * The dashboard with the chaos demo ({@code ./herald local --demo}): SES broken from the page turns unhealthy while
     * SendGrid carries the traffic, and healed it carries traffic again.
     */
    @Test
    void anOperatorBreaksSesWatchesSendGridTakeOverThenHealsIt() throws Exception {
        BrowserScript.assumeWebClientBuilt();
        // Rests short enough that probes and recovery happen within the test's patience.
        stack = LocalStack.startWithDemo(
                config("adminPort: -1, unhealthyThreshold: 3, healthyThreshold: 2, openWait: 1s, "
                        + "retryBaseDelay: 200ms, retryMaxDelay: 1s"));

        seedDeadLetters();

        BrowserScript.Result result = BrowserScript.run("dashboard.e2e.ts", stack.apiUrl());

        assertThat(result.finished())
                .as("browser test finished within 10 minutes")
                .isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("ok   a broken SES turns unhealthy")
                .contains("ok   SendGrid carries the traffic while SES delivers nothing")
                .contains("ok   a healed SES turns healthy again after its probes succeed");
        assertThat(result.output())
                .contains("ok   a provider paused from the page turns paused")
                .contains("ok   and why: the reason given on the page")
                .contains("ok   after a reload the chart is drawn again at once from the API's history")
                .contains("ok   the redrive says how many moved")
                .contains("ok   dark-mode buttons pass WCAG AA contrast")
                .contains("32 passed, 0 failed");
        assertThat(BrowserScript.OUTPUT.resolve("dashboard-2-ses-broken.png")).exists();
    }

    /**
     * The suppression list on the dashboard: an address suppressed from the page is listed, an email to it ends
     * suppressed without reaching the outbox, and removed from the page it is gone.
     */
    @Test
    void anOperatorSuppressesAnAddressFromTheDashboardAndItsEmailIsNotSent() throws Exception {
        BrowserScript.assumeWebClientBuilt();
        stack = LocalStack.start(config("adminPort: -1"));

        BrowserScript.Result result = BrowserScript.run("suppressions.e2e.ts", stack.apiUrl());

        assertThat(result.finished())
                .as("browser test finished within 10 minutes")
                .isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("ok   the suppressed address is listed with its reason and source")
                .contains("ok   an email to it ends suppressed, unsent")
                .contains("ok   removed from the page, it is no longer listed")
                .contains("0 failed");
        // The outbox provider writes one .eml per email it sends: none may name the suppressed address.
        try (java.util.stream.Stream<Path> mails = java.nio.file.Files.exists(dir.resolve("outbox"))
                ? java.nio.file.Files.walk(dir.resolve("outbox"))
                : java.util.stream.Stream.empty()) {
            assertThat(mails.filter(java.nio.file.Files::isRegularFile)
                            .map(WebClientBrowserTest::text)
                            .filter(t -> t.contains("suppressed-e2e-")))
                    .isEmpty();
        }
    }

    /**
     * The dashboard's bounce and complaint rates, from feedback counts put into the stack's real status table (DynamoDB
     * Local) with the same {@link FeedbackDailyCounts} the recorders add them with.
     */
    @Test
    void anOperatorReadsEachSenderDomainsBounceAndComplaintRatesOnTheDashboard() throws Exception {
        BrowserScript.assumeWebClientBuilt();
        stack = LocalStack.start(config("adminPort: -1"));
        try (DynamoDbClient dynamo = DynamoDbClients.create(stack.config().status())) {
            FeedbackDailyCounts counts =
                    new FeedbackDailyCounts(dynamo, stack.config().status().table(), Clock.systemUTC());
            for (int i = 0; i < 19; i++) {
                counts.add("delivery", "rates-e2e.example");
            }
            counts.add("hard_bounce", "rates-e2e.example");
            counts.add("complaint", "rates-e2e.example");
        }

        BrowserScript.Result result = BrowserScript.run("feedback-rates.e2e.ts", stack.apiUrl());

        assertThat(result.finished())
                .as("browser test finished within 10 minutes")
                .isTrue();
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("ok   the domain is listed with its counts")
                .contains("ok   the complaint rate is 5.3 %, marked above the 0.1 % alert")
                .contains("0 failed");
    }

    private static String text(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Two messages set aside as the pipeline does it (reason and provider attributes), for the page to find. */
    private void seedDeadLetters() {
        QueueRef queue = stack.queues().getFirst();
        EnvelopeCodec codec = new EnvelopeCodec();
        try (SqsClient sqs = SqsClients.create(stack.config().sqs())) {
            for (String[] letter : new String[][] {
                {"SendGrid 400: invalid address", "sendgrid"},
                {"SES MessageRejected: Email address is not verified", "ses"}
            }) {
                Envelope envelope = Envelope.create(
                        "email",
                        "dead-letter-e2e@example.org",
                        Content.of("Set aside", "dead-letter-e2e body"),
                        Origin.api("e2e"),
                        Instant.now());
                sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl())
                        .messageBody(codec.encode(envelope))
                        .messageAttributes(
                                MessageAttributes.deadLettered(letter[0], queue.name(), Instant.now(), letter[1])));
            }
        }
    }
}
