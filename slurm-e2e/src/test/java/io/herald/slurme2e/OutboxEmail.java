package io.herald.slurme2e;

import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.outbox.OutboxProvider;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The email a user gets for one envelope: delivered by the pipeline's real outbox provider (the email provider of local
 * mode: the same MIME the SMTP, SES and SendGrid providers send) into an .eml file, then read back with Jakarta Mail,
 * as a mail client would.
 */
record OutboxEmail(String subject, String text, String html) {

    static OutboxEmail deliver(OutboxProvider outbox, Envelope envelope) throws IOException, MessagingException {
        Outcome outcome = outbox.send(envelope);
        if (!(outcome instanceof Outcome.Delivered delivered)) {
            throw new IllegalStateException("the outbox provider did not deliver " + envelope.id() + ": " + outcome);
        }
        Path file = outbox.directory().resolve(delivered.providerMessageId());
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            StringBuilder text = new StringBuilder();
            StringBuilder html = new StringBuilder();
            collect(message, text, html);
            return new OutboxEmail(message.getSubject(), text.toString(), html.toString());
        }
    }

    private static void collect(Part part, StringBuilder text, StringBuilder html)
            throws IOException, MessagingException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                collect(body, text, html);
            }
        } else if (part.isMimeType("text/plain")) {
            text.append(part.getContent());
        } else if (part.isMimeType("text/html")) {
            html.append(part.getContent());
        }
    }
}
