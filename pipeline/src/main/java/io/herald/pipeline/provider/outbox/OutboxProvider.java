package io.herald.pipeline.provider.outbox;

import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.email.EmailMessages;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The email provider of local mode: writes each email as an RFC 5322 {@code .eml} file (MIME, plain-text and HTML
 * alternatives) that any mail client opens. Files appear atomically (written to a temporary name, then renamed), so a
 * reader never sees half a message; the file is named after the envelope id, so a redelivered message overwrites itself
 * instead of duplicating.
 */
public final class OutboxProvider implements Provider {

    /** From address for envelopes that carry no sender of their own. */
    public static final String DEFAULT_FROM = "herald@localhost";

    private final Path directory;
    private final Session session = Session.getInstance(new Properties());
    private final EmailMessages messages;

    public OutboxProvider(Path directory) {
        this(directory, new EmailMessages(DEFAULT_FROM, Optional.empty()));
    }

    public OutboxProvider(Path directory, EmailMessages messages) {
        this.directory = directory;
        this.messages = messages;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public Outcome send(Envelope envelope) {
        MimeMessage message;
        try {
            message = messages.toMime(session, envelope);
        } catch (AddressException e) {
            return new Outcome.Rejected("invalid address: " + e.getMessage());
        } catch (MessagingException | UnsupportedEncodingException e) {
            return new Outcome.Rejected("cannot be written as MIME: " + e.getMessage());
        }
        Path target = directory.resolve(envelope.id() + ".eml");
        try {
            // createDirectories on an existing directory throws and catches two exceptions per message.
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
            }
            Path temp = Files.createTempFile(directory, "." + envelope.id(), ".part");
            try (OutputStream out = Files.newOutputStream(temp)) {
                message.writeTo(out);
            } catch (IOException | MessagingException e) {
                Files.deleteIfExists(temp);
                throw e instanceof IOException io ? io : new IOException(e);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A full or read-only disk stops every message, not just this one.
            return new Outcome.ProviderDown("cannot write to outbox " + directory + ": " + e.getMessage());
        }
        return new Outcome.Delivered(target.getFileName().toString());
    }
}
