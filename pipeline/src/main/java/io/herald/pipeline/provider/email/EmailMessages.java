package io.herald.pipeline.provider.email;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Sender;
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
import java.util.Optional;

/**
 * Builds the MIME message of an email notification, shared by the providers that speak MIME (the outbox, SMTP): From,
 * To, Subject, a Message-ID made from the envelope id (so a resent message is recognisably the same one), and text +
 * HTML alternatives.
 */
public final class EmailMessages {

    private final String defaultFrom;
    private final Optional<ChannelTemplate> htmlTemplate;

    /**
     * @param defaultFrom From address for envelopes without a sender
     * @param htmlTemplate an operator's template for the HTML part, if any
     */
    public EmailMessages(String defaultFrom, Optional<ChannelTemplate> htmlTemplate) {
        this.defaultFrom = defaultFrom;
        this.htmlTemplate = htmlTemplate;
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
