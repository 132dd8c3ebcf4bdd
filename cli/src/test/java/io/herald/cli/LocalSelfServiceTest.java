package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald local}'s self-service defaults: on with nothing configured, never overriding what is. */
class LocalSelfServiceTest {

    @TempDir
    Path dir;

    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The README's "Try /#/me locally": a link asked for on the local API lands in the outbox. */
    @Test
    void onALocalStackALinkAskedForLandsInTheOutboxAtUserAtLocalhost() throws Exception {
        int port;
        // A fixed port is what turns links on; a free one is picked here so that tests never collide.
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        HeraldConfig loaded = new ConfigLoader(Map.of()).loadYaml("""
                api: {port: %d}
                pipeline: {adminPort: -1}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: 0, dynamodbPort: 0}
                """.formatted(port, dir.resolve("outbox")));
        HeraldConfig withLinks = LocalSelfService.withDefaults(loaded).orElseThrow();
        stack = LocalStack.start(withLinks);

        HttpResponse<String> asked;
        try (HttpClient http = HttpClient.newHttpClient()) {
            asked = http.send(
                    HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/me/link"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"alice\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> emls().size() == 1);
        Path eml = emls().getFirst();
        MimeMessage mail;
        try (InputStream in = Files.newInputStream(eml)) {
            mail = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(((InternetAddress) mail.getAllRecipients()[0]).getAddress()).isEqualTo("alice@localhost");
        assertThat(mail.getSubject()).isEqualTo("Your Herald notification settings");
        assertThat(Files.readString(eml))
                .doesNotContain(withLinks.api().selfService().linkSecret().reveal());
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

    @Test
    void linksAreOnByDefaultWithTheLocalApiAddressARandomUnprintedKeyAndLocalMailboxes() {
        HeraldConfig on = LocalSelfService.withDefaults(HeraldConfig.defaults()).orElseThrow();
        HeraldConfig again =
                LocalSelfService.withDefaults(HeraldConfig.defaults()).orElseThrow();

        HeraldConfig.Api.SelfService self = on.api().selfService();
        assertThat(self.enabled()).isTrue();
        assertThat(self.publicUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(self.linkSecret().reveal())
                .as("long enough for the validator")
                .hasSizeGreaterThanOrEqualTo(32);
        assertThat(self.linkSecret())
                .as("drawn at each start")
                .isNotEqualTo(again.api().selfService().linkSecret());
        assertThat(self.toString()).doesNotContain(self.linkSecret().reveal());
        assertThat(on.mailprog().mailDomain()).isEqualTo(LocalSelfService.LOCAL_MAIL_DOMAIN);
        assertThat(on.unsubscribeBaseUrl())
                .as("unsubscribe links point at the same page")
                .isEqualTo("http://127.0.0.1:8080");
        assertThat(on.unsubscribe().secret().reveal())
                .as("a random key for them too, never the links' one")
                .hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(self.linkSecret().reveal());
    }

    @Test
    void whatTheConfigurationSetsIsKeptAndARandomPortLeavesLinksOff() {
        HeraldConfig d = HeraldConfig.defaults();
        Secret own = Secret.of("an-operator-chosen-secret-of-enough-length");
        HeraldConfig configured = d.withApi(d.api()
                        .withSelfService(new HeraldConfig.Api.SelfService(
                                "", own, 3, 7, Duration.ofMinutes(5), Duration.ofHours(2))))
                .withMailprog(d.mailprog().toBuilder()
                        .mailDomain("cluster.example.org")
                        .build());

        HeraldConfig kept = LocalSelfService.withDefaults(configured).orElseThrow();

        assertThat(kept.api().selfService().linkSecret()).isEqualTo(own);
        assertThat(kept.api().selfService().linksPerMinute()).isEqualTo(7);
        assertThat(kept.mailprog().mailDomain()).isEqualTo("cluster.example.org");

        HeraldConfig.Api api = d.api();
        HeraldConfig randomPort = d.withApi(new HeraldConfig.Api(
                api.host(),
                0,
                api.maxBodyBytes(),
                api.idempotencyWindow(),
                api.batchWait(),
                api.open(),
                api.keys(),
                api.maxReceiversPerRequest(),
                api.idleTimeout(),
                api.minRequestDataRate(),
                api.selfService()));
        assertThat(LocalSelfService.withDefaults(randomPort)).isEmpty();
    }
}
