package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole local stack, as {@code ./herald local} runs it, on free loopback ports. */
class LocalStackTest {

    @TempDir
    Path dir;

    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private HeraldConfig config(int sqsPort, int apiPort) {
        return new ConfigLoader(Map.of()).loadYaml("""
                api: {port: %d}
                pipeline: {adminPort: 0}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: %d, dynamodbPort: 0}
                """.formatted(apiPort, dir.resolve("outbox"), sqsPort));
    }

    @Test
    void postedEmailArrivesInTheOutboxAsAnEmlFile() throws Exception {
        stack = LocalStack.start(config(0, 0));
        String body = """
                {"email":{"fromEmail":"from@example.org","fromName":"Herald Test","toEmail":"to@example.org",
                "toName":"To Name","subject":"Test subject","body":"Test body"}}""";

        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(
                    HttpRequest.newBuilder(stack.apiUrl().resolve("/email/send"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(200);
        Matcher id = Pattern.compile("\\{\"messageId\":\"([0-9a-f-]{36})\"}").matcher(response.body());
        assertThat(id.matches()).as(response.body()).isTrue();
        Path eml = stack.localDirectory().orElseThrow().resolve(id.group(1) + ".eml");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(eml));
        MimeMessage mail;
        try (InputStream in = Files.newInputStream(eml)) {
            mail = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(mail.getSubject()).isEqualTo("Test subject");
        assertThat(((InternetAddress) mail.getFrom()[0]).getPersonal()).isEqualTo("Herald Test");
        assertThat(((InternetAddress) mail.getAllRecipients()[0]).getAddress()).isEqualTo("to@example.org");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(((String) parts.getBodyPart(0).getContent()).strip()).isEqualTo("Test body");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<p>Test body</p>");
    }

    @Test
    void aBusySqsPortIsNamedWithTheKeyThatMovesIt() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> stack = LocalStack.start(config(busy.getLocalPort(), 0)))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("127.0.0.1:" + busy.getLocalPort())
                    .hasMessageContaining("HERALD_LOCAL_SQS_PORT");
        }
    }

    @Test
    void aBusyApiPortIsNamedWithTheKeyThatMovesItAndNothingKeepsRunning() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> stack = LocalStack.start(config(0, busy.getLocalPort())))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("HERALD_API_PORT");
        }
        // The embedded SQS started before the API failed must have been stopped again: a fresh
        // stack on a fixed port proves the port was released.
        int sqsPort;
        try (ServerSocket probe = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            sqsPort = probe.getLocalPort();
        }
        stack = LocalStack.start(config(sqsPort, 0));
        assertThat(stack.sqsEndpoint()).isEqualTo(URI.create("http://127.0.0.1:" + sqsPort));
    }
}
