package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.Suppression;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One-click unsubscribe through the whole of Herald in one process ({@link LocalStack}: embedded SQS and DynamoDB, the
 * API, the pipeline into the outbox): an email sent through the API carries the RFC 8058 headers, the mail client's
 * POST to its link puts the address on the suppression list for that category, and a transactional email carries no
 * link.
 */
class UnsubscribeEndToEndTest {

    private static final String SECRET = "e2e-" + UUID.randomUUID() + UUID.randomUUID();

    @TempDir
    Path dir;

    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aSentEmailsUnsubscribeLinkSuppressesItsReceiverForItsCategory() throws Exception {
        int port;
        // The link must name the API's address before it listens, so a free port is picked first.
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        HeraldConfig config = new ConfigLoader(Map.of("HERALD_UNSUBSCRIBE_SECRET", SECRET))
                .loadYaml("""
                api: {port: %d}
                pipeline: {adminPort: -1}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: 0, dynamodbPort: 0}
                unsubscribe: {publicUrl: "http://127.0.0.1:%d"}
                """.formatted(port, dir.resolve("outbox"), port));
        stack = LocalStack.start(config);

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> sent =
                    post(http, stack.apiUrl().resolve("/v1/notifications"), "application/json", """
                    {"to": "mailto:Reader@Example.org", "from": "ops@example.org", "title": "Maintenance",
                     "text": "Tonight", "category": "maintenance"}""");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            HttpResponse<String> receipt = post(http, stack.apiUrl().resolve("/email/send"), "application/json", """
                    {"email": {"fromEmail": "ops@example.org", "toEmail": "reader@example.org",
                     "subject": "Receipt", "body": "Thanks", "category": "transactional"}}""");
            assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(60)).until(() -> emls().size() == 2);
            MimeMessage bulk = null;
            MimeMessage transactional = null;
            for (Path eml : emls()) {
                MimeMessage mail = read(eml);
                if ("Receipt".equals(mail.getSubject())) {
                    transactional = mail;
                } else {
                    bulk = mail;
                }
                assertThat(Files.readString(eml)).doesNotContain(SECRET);
            }
            assertThat(transactional).isNotNull();
            assertThat(transactional.getHeader("List-Unsubscribe")).isNull();
            assertThat(bulk).isNotNull();
            assertThat(bulk.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
            String link = bulk.getHeader("List-Unsubscribe")[0];
            assertThat(link).startsWith("<http://127.0.0.1:" + port + "/u/").endsWith(">");

            HttpResponse<String> done = post(
                    http,
                    URI.create(link.substring(1, link.length() - 1)),
                    "application/x-www-form-urlencoded",
                    "List-Unsubscribe=One-Click");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);

            // The pipeline checks every email against the list: that category to that address now ends suppressed,
            // unsent, while another category still goes out.
            String again = notify(http, "maintenance");
            String other = notify(http, "newsletter");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> state(http, again).contains("\"state\":\"suppressed\"")
                            && state(http, other).contains("\"state\":\"delivered\""));
            assertThat(emls()).as("the suppressed one was never written").hasSize(3);
        }

        HeraldConfig running = stack.config();
        try (DynamoDbClient dynamo = DynamoDbClients.create(running.status())) {
            DynamoSuppressions suppressions =
                    new DynamoSuppressions(dynamo, running.status().table());
            Optional<Suppression> entry = suppressions.find("reader@example.org", "maintenance");
            assertThat(entry).isPresent();
            assertThat(entry.get().reason()).isEqualTo("unsubscribed");
            assertThat(entry.get().source()).isEqualTo("unsubscribe");
            assertThat(suppressions.find("reader@example.org", "slurm:hpc1")).isEmpty();
        }
    }

    /** @return the id of a notification of {@code category} to the receiver that unsubscribed */
    private String notify(HttpClient http, String category) throws Exception {
        HttpResponse<String> sent =
                post(http, stack.apiUrl().resolve("/v1/notifications"), "application/json", """
                {"to": "mailto:reader@example.org", "from": "ops@example.org", "title": "Again",
                 "text": "More", "category": "%s"}""".formatted(category));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(sent.body());
        assertThat(id.find()).as(sent.body()).isTrue();
        return id.group(1);
    }

    private String state(HttpClient http, String id) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/notifications/" + id))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .replace(" ", "");
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String type, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static MimeMessage read(Path eml) throws Exception {
        try (InputStream in = Files.newInputStream(eml)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    private List<Path> emls() throws java.io.IOException {
        Path outbox = dir.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }
}
