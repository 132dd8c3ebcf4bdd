package io.herald.pipeline.provider.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.pipeline.provider.Outcome;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxProviderTest {

    @TempDir
    Path dir;

    private final Instant now = Instant.parse("2026-11-22T10:15:30Z");

    private Envelope envelope(String target) {
        Content content = Content.of(
                        "Job 42 (run \"α=0.5\" <script>) ended 🚀", "Line one\nLine two\n\nSecond paragraph")
                .withFacts(List.of(new Fact("Partition", "compute"), new Fact("Exit code", "0:0 <ok>")))
                .withHints(List.of("Memory was over-requested & unused"));
        return Envelope.create("email", target, content, Origin.api("test"), now)
                .withTargetName("Zoë Example")
                .withSender(new Sender("from@example.org", "Herald Tests"));
    }

    private MimeMessage read(Path eml) throws Exception {
        try (InputStream in = Files.newInputStream(eml)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    @Test
    void writesOneEmlFileNamedAfterTheEnvelopeThatAMailClientCanParse() throws Exception {
        Envelope e = envelope("Zoe@Example.ORG");

        Outcome outcome = new OutboxProvider(dir).send(e);

        assertThat(outcome).isEqualTo(new Outcome.Delivered(e.id() + ".eml"));
        MimeMessage mail = read(dir.resolve(e.id() + ".eml"));
        assertThat(((InternetAddress) mail.getFrom()[0]).getAddress()).isEqualTo("from@example.org");
        assertThat(((InternetAddress) mail.getFrom()[0]).getPersonal()).isEqualTo("Herald Tests");
        InternetAddress to = (InternetAddress) mail.getAllRecipients()[0];
        assertThat(to.getAddress()).isEqualTo("Zoe@Example.ORG");
        assertThat(to.getPersonal()).isEqualTo("Zoë Example");
        assertThat(mail.getSubject()).isEqualTo("Job 42 (run \"α=0.5\" <script>) ended 🚀");
        assertThat(mail.getMessageID()).isEqualTo("<" + e.id() + "@herald>");
        assertThat(mail.getSentDate().toInstant()).isEqualTo(now);
    }

    @Test
    void aSlurmNotificationShowsEachFactAndHintOnceInEachPart() throws Exception {
        // Shaped as the mailprog forwarder composes it: the text is the title plus what facts cannot say.
        String title = "Job 4242001 (train_model) ended: COMPLETED, exit 0";
        Content content = Content.of(title, title + "\n\nNot sent to: item 2 'telegram:x': not a Telegram chat id")
                .withFacts(List.of(new Fact("Partition", "compute"), new Fact("Memory", "12.7 GiB peak of 32.0 GiB")))
                .withHints(List.of("Memory: the job used at most 12.7 GiB"));
        Envelope e = Envelope.create("email", "to@example.org", content, Origin.slurm("alice", "hpc1"), now);
        new OutboxProvider(dir).send(e);

        MimeMultipart parts = (MimeMultipart) read(dir.resolve(e.id() + ".eml")).getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        for (String once : List.of(
                "compute",
                "12.7 GiB peak of 32.0 GiB",
                "Memory: the job used at most 12.7 GiB",
                "Not sent to:",
                title)) {
            assertThat(text).as("plain part: " + once).containsOnlyOnce(once);
        }
        for (String once : List.of(
                "compute",
                "12.7 GiB peak of 32.0 GiB",
                "Memory: the job used at most 12.7 GiB",
                "Not sent to:",
                "<h2>" + title + "</h2>")) {
            assertThat(html).as("HTML part: " + once).containsOnlyOnce(once);
        }
        assertThat(html).doesNotContain("<p>" + title + "</p>");
    }

    @Test
    void hasPlainTextAndEscapedHtmlAlternatives() throws Exception {
        Envelope e = envelope("to@example.org");
        new OutboxProvider(dir).send(e);

        MimeMultipart parts = (MimeMultipart) read(dir.resolve(e.id() + ".eml")).getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain").contains("UTF-8");
        assertThat((String) text.getContent())
                .contains("Line one\nLine two")
                .contains("Partition:  compute")
                .contains("Exit code:  0:0 <ok>")
                .contains("- Memory was over-requested & unused");
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat((String) html.getContent())
                .contains("<th style=\"text-align:left;padding:2px 12px 2px 0\">Exit code</th><td>0:0 &lt;ok&gt;</td>")
                .contains("&lt;script&gt;")
                .doesNotContain("<script>")
                .contains("Line one<br>Line two")
                .contains("<p>Second paragraph</p>")
                .contains("Memory was over-requested &amp; unused");
    }

    @Test
    void producerHtmlIsUsedAsGiven() throws Exception {
        Envelope base = envelope("to@example.org");
        Envelope e = new Envelope(
                base.v(),
                base.id(),
                base.channel(),
                base.target(),
                null,
                null,
                base.content().withHtml("<p><b>bold</b></p>"),
                base.origin(),
                null,
                base.createdAt(),
                null,
                null,
                null);
        new OutboxProvider(dir).send(e);

        MimeMultipart parts = (MimeMultipart) read(dir.resolve(e.id() + ".eml")).getContent();
        assertThat((String) parts.getBodyPart(1).getContent()).isEqualTo("<p><b>bold</b></p>");
        assertThat(read(dir.resolve(e.id() + ".eml")).getFrom()[0].toString()).isEqualTo(OutboxProvider.DEFAULT_FROM);
    }

    @Test
    void sendingTheSameEnvelopeTwiceLeavesOneFileAndNoTemporaryFiles() throws Exception {
        Envelope e = envelope("to@example.org");
        OutboxProvider outbox = new OutboxProvider(dir);
        outbox.send(e);
        outbox.send(e);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(e.id() + ".eml");
        }
    }

    @Test
    void anAddressThatIsNotOneIsRejectedForThisMessageOnly() {
        Outcome outcome = new OutboxProvider(dir).send(envelope("not an address"));

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcome).reason()).startsWith("invalid address");
    }

    @Test
    void anOutboxThatCannotBeWrittenMeansTheProviderIsDown() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        Outcome outcome = new OutboxProvider(file.resolve("outbox")).send(envelope("to@example.org"));

        assertThat(outcome).isInstanceOf(Outcome.ProviderDown.class);
        assertThat(((Outcome.ProviderDown) outcome).reason()).contains("cannot write to outbox");
    }
}
