package io.herald.pipeline.provider.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.DummySSLSocketFactory;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Sender;
import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.pipeline.provider.CapturedLogs;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpProviderTest {

    private static final String PASSWORD = "smtpSecretPassw0rd!";

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS)
            })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("herald@example.org", "herald", PASSWORD))
            .withPerMethodLifecycle(true);

    /** With {@link Fakes#SEND_TIMEOUT}: a send that should succeed never times out on a busy machine. */
    private static SmtpConfig config(int port, String security, String user, String password) {
        return config(port, security, user, password, Fakes.SEND_TIMEOUT);
    }

    private static SmtpConfig config(int port, String security, String user, String password, Duration timeout) {
        return new SmtpConfig(
                true,
                1,
                timeout,
                1000,
                Duration.ofSeconds(1),
                "",
                "127.0.0.1",
                port,
                security,
                user,
                Secret.of(password),
                "herald@example.org");
    }

    private static SmtpProvider provider(SmtpConfig config) {
        return new SmtpProvider(config, new DummySSLSocketFactory(), Clock.systemUTC());
    }

    private static int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    @Test
    void acceptedMessageIsDeliveredAsTextAndHtmlAlternatives() throws Exception {
        Envelope envelope =
                Fixtures.envelope("email", "to@example.org").withSender(new Sender("from@example.org", "Herald Tests"));

        Outcome outcome =
                provider(config(smtpPort(), "none", "herald", PASSWORD)).send(envelope);

        assertThat(outcome).isInstanceOf(Outcome.Delivered.class);
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("Job 42 ended");
        assertThat(received[0].getHeader("Message-ID")[0]).isEqualTo("<" + envelope.id() + "@herald>");
        MimeMultipart parts = (MimeMultipart) received[0].getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(1).getContent().toString())
                .contains("<th style=\"text-align:left;padding:2px 12px 2px 0\">Partition</th>");
    }

    @Test
    void implicitTlsDelivers() {
        Outcome outcome = provider(config(greenMail.getSmtps().getPort(), "tls", "herald", PASSWORD))
                .send(Fixtures.envelope("email", "to@example.org"));

        assertThat(outcome).isInstanceOf(Outcome.Delivered.class);
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void requiredStartTlsThatTheServerLacksMeansProviderDownAndNothingSentInClear() {
        Outcome outcome = provider(config(smtpPort(), "starttls", "herald", PASSWORD))
                .send(Fixtures.envelope("email", "to@example.org"));

        assertThat(outcome).isInstanceOf(Outcome.ProviderDown.class);
        assertThat(((Outcome.ProviderDown) outcome).reason()).contains("STARTTLS");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusedLoginMeansTheProviderIsDown() {
        Outcome outcome = provider(config(smtpPort(), "none", "herald", "wrong-password"))
                .send(Fixtures.envelope("email", "to@example.org"));

        assertThat(outcome).isInstanceOf(Outcome.ProviderDown.class);
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void permanentlyRefusedRecipientIsRejected() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(
                "550 5.1.1 <to@example.org>: Recipient address rejected: User unknown", "250 OK")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).startsWith("SMTP 550");
        }
    }

    @Test
    void temporarilyRefusedRecipientIsRetried() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(
                "450 4.2.0 <to@example.org>: Recipient address rejected: Greylisted", "250 OK")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Retry.class);
            assertThat(((Outcome.Retry) outcome).reason()).startsWith("SMTP 450");
            // Greylisting is about this message, not the receiver's pace: no domain is slowed by it.
            assertThat(((Outcome.Retry) outcome).receiverDeferred()).isFalse();
        }
    }

    @Test
    void a421IsTheReceiversDeferralAndSlowsItsDomainNotTheProvider() throws Exception {
        try (ScriptedSmtpServer server =
                new ScriptedSmtpServer("421 4.4.5 mx.example.org Too many connections, try again later", "250 OK")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Retry.class);
            Outcome.Retry retry = (Outcome.Retry) outcome;
            assertThat(retry.receiverDeferred()).isTrue();
            assertThat(retry.slowDown())
                    .as("the provider's own pace is not lowered")
                    .isFalse();
        }
    }

    @Test
    void anEnhancedStatus47xAfterDataIsTheReceiversDeferral() throws Exception {
        try (ScriptedSmtpServer server =
                new ScriptedSmtpServer("250 2.1.5 OK", "451 4.7.0 Rate limited, please try again later")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Retry.class);
            assertThat(((Outcome.Retry) outcome).receiverDeferred()).isTrue();
        }
    }

    @Test
    void aPermanentPolicyRefusal57xStaysRejectedNeverADeferral() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(
                "550 5.7.1 <to@example.org>: Service unavailable, policy rejection (4.7.0 in the text)", "250 OK")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        }
    }

    @Test
    void messageRefusedAfterDataIsRejected() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("250 2.1.5 OK", "554 5.7.1 Message rejected as spam")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).startsWith("SMTP 554");
        }
    }

    @Test
    void messageDeferredAfterDataIsRetriedNotDelivered() throws Exception {
        try (ScriptedSmtpServer server =
                new ScriptedSmtpServer("250 2.1.5 OK", "451 4.3.0 Temporary failure, try again")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        }
    }

    @Test
    void deliveredOnlyOnceTheServerAcceptedData() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("250 2.1.5 OK", "250 2.0.0 Ok: queued as 4XyZ")) {
            Outcome outcome =
                    provider(config(server.port(), "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isEqualTo(new Outcome.Delivered("250 2.0.0 Ok: queued as 4XyZ"));
            assertThat(server.messagesAccepted()).isEqualTo(1);
        }
    }

    @Test
    void serverThatNeverAnswersDataIsRetriedAfterTheTimeout() throws Exception {
        // The server hangs until it is closed, so only the provider's timeout can end the send; the outcome
        // says it did, and no elapsed time is asserted.
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("250 2.1.5 OK", null)) {
            Outcome outcome = provider(config(server.port(), "none", "", "", Duration.ofSeconds(1)))
                    .send(Fixtures.envelope("email", "to@example.org"));

            assertThat(outcome).isEqualTo(new Outcome.Retry(Duration.ZERO, "SMTP timed out after 1000 ms"));
        }
    }

    @Test
    void unreachableServerIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Outcome outcome =
                provider(config(closedPort, "none", "", "")).send(Fixtures.envelope("email", "to@example.org"));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Retry.class, r -> assertThat(r.after()).isZero());
    }

    @Test
    void nastyJobNameIsEscapedInTheHtmlPartAndIntactInTheSubject() throws Exception {
        provider(config(smtpPort(), "none", "herald", PASSWORD)).send(Fixtures.nasty("email", "to@example.org"));

        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getBodyPart(0).getContent().toString()).contains(Fixtures.NASTY_JOB);
        assertThat(parts.getBodyPart(1).getContent().toString())
                .doesNotContain("<script>")
                .contains("run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
    }

    @Test
    void passwordAppearsInNoLogOrReason() {
        try (CapturedLogs logs = new CapturedLogs()) {
            Outcome outcome = provider(config(smtpPort(), "none", "herald", PASSWORD + "x"))
                    .send(Fixtures.envelope("email", "to@example.org"));

            assertThat(logs.text()).contains("smtp").doesNotContain(PASSWORD);
            assertThat(outcome.toString()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void loginEchoedByTheServerAppearsInNoReasonOrLog() throws Exception {
        String password = "Sm7p-Pass+word/2026";
        for (String mechanism : List.of("PLAIN", "LOGIN")) {
            try (ScriptedSmtpServer server = new ScriptedSmtpServer("250 OK", "250 OK", mechanism);
                    CapturedLogs logs = new CapturedLogs()) {
                Outcome outcome = provider(config(server.port(), "none", "herald", password))
                        .send(Fixtures.envelope("email", "to@example.org"));

                assertThat(outcome).as(mechanism).isInstanceOf(Outcome.ProviderDown.class);
                java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
                for (String form : List.of(
                        password,
                        b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)),
                        b64.encodeToString(("\0herald\0" + password).getBytes(StandardCharsets.UTF_8)))) {
                    assertThat(outcome.toString())
                            .as(mechanism)
                            .doesNotContain(form)
                            .contains("(redacted)");
                    assertThat(logs.heraldText()).as(mechanism).doesNotContain(form);
                }
            }
        }
    }
}
