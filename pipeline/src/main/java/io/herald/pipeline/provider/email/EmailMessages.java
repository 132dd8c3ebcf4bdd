package io.herald.pipeline.provider.email;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Sender;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.render.ChannelTemplate;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the MIME message of an email notification, shared by the providers that speak MIME (the outbox, SMTP): From,
 * To, Subject, a Message-ID made from the envelope id (so a resent message is recognisably the same one), and text +
 * HTML alternatives, and the RFC 8058 unsubscribe headers of mail that is not transactional ({@link UnsubscribeLinks}):
 * every email provider takes them from {@link #unsubscribeHeaders} and only adds them.
 */
public final class EmailMessages {

    private final String defaultFrom;
    private final Optional<ChannelTemplate> htmlTemplate;
    private final UnsubscribeLinks unsubscribeLinks;

    /**
     * @param defaultFrom From address for envelopes without a sender
     * @param htmlTemplate an operator's template for the HTML part, if any
     */
    public EmailMessages(String defaultFrom, Optional<ChannelTemplate> htmlTemplate) {
        this(defaultFrom, htmlTemplate, UnsubscribeLinks.none());
    }

    /** @param unsubscribeLinks what makes the List-Unsubscribe headers ({@link UnsubscribeLinks#none()}: none) */
    public EmailMessages(
            String defaultFrom, Optional<ChannelTemplate> htmlTemplate, UnsubscribeLinks unsubscribeLinks) {
        this.defaultFrom = defaultFrom;
        this.htmlTemplate = htmlTemplate;
        this.unsubscribeLinks = unsubscribeLinks;
    }

    /** {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} for this email, in order; empty for none. */
    public Map<String, String> unsubscribeHeaders(Envelope envelope) {
        return unsubscribeLinks.headers(envelope);
    }

    /** The text and HTML bodies of an envelope: native, or the HTML part from the operator's template. */
    public EmailBody body(Envelope envelope) {
        EmailBody nativeBody = EmailBody.render(envelope.content());
        return htmlTemplate
                .map(t -> new EmailBody(nativeBody.text(), t.render(envelope)))
                .orElse(nativeBody);
    }

    /** @throws jakarta.mail.internet.AddressException when the target or sender is not an address */
    public MimeMessage toMime(Session session, Envelope envelope)
            throws MessagingException, UnsupportedEncodingException {
        String messageId = "<" + envelope.id() + "@herald>";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // The envelope id, not a random one: the same notification keeps the same Message-ID.
                setHeader("Message-ID", messageId);
            }
        };
        Sender sender = envelope.sender();
        message.setFrom(
                sender == null || sender.email() == null
                        ? new InternetAddress(defaultFrom)
                        : new InternetAddress(sender.email(), sender.name(), "UTF-8"));
        InternetAddress to = new InternetAddress(envelope.target(), envelope.targetName(), "UTF-8");
        to.validate();
        message.setRecipient(Message.RecipientType.TO, to);
        String title = envelope.content().title();
        message.setSubject(title == null ? "" : title, "UTF-8");
        message.setSentDate(Date.from(envelope.createdAt()));
        message.setHeader("X-Herald-Id", envelope.id());
        for (Map.Entry<String, String> header : unsubscribeHeaders(envelope).entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }

        EmailBody body = body(envelope);
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(body.html(), "UTF-8", "html");
        message.setContent(new MimeMultipart("alternative", text, html));
        message.saveChanges();
        return message;
    }
}
