package io.herald.pipeline.provider.smtp;

import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.smtp.SmtpConfig;
import io.herald.core.unsubscribe.UnsubscribeLinks;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.email.EmailMessages;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.OutputFormat;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMTP submission server through Jakarta Mail (Angus). STARTTLS is required when configured (never a silent fallback
 * to clear text), or TLS from the first byte; login when a user name is set. One connection per message: simple, and
 * nothing to go stale between sends.
 *
 * <p>A message counts as delivered only once the server accepted its DATA (the 250 after the final dot). The server's
 * reply code decides the rest: 5xx is permanent for this message, 4xx is a temporary refusal to retry, a failed login
 * is the provider's problem.
 */
public final class SmtpProvider implements Provider {

    private static final Logger log = LoggerFactory.getLogger(SmtpProvider.class);
    /** An enhanced status code 4.7.x (RFC 3463): the receiver's policy defers this sender, e.g. for its rate. */
    private static final Pattern DEFERRAL = Pattern.compile("(?<![\\d.])4\\.7\\.\\d{1,3}(?![\\d.])");

    private final SmtpConfig config;
    private final Session session;
    private final String protocol;
    private final EmailMessages messages;
    private final Redactor redactor;

    /**
     * @param sslSockets socket factory for TLS, or null for the JDK's (tests pass one that trusts their fake's
     *     certificate)
     */
    public SmtpProvider(SmtpConfig config, SSLSocketFactory sslSockets, Clock clock) {
        this(config, sslSockets, clock, UnsubscribeLinks.none());
    }

    /** @param unsubscribeLinks the List-Unsubscribe headers of each email (MIME headers) */
    public SmtpProvider(
            SmtpConfig config, SSLSocketFactory sslSockets, Clock clock, UnsubscribeLinks unsubscribeLinks) {
        this.config = config;
        this.redactor = Redactor.ofLogin(config.username(), config.password());
        String security = config.security().toLowerCase(Locale.ROOT);
        this.protocol = "tls".equals(security) ? "smtps" : "smtp";
        String timeout = Long.toString(config.timeout().toMillis());
        Properties props = new Properties();
        String p = "mail." + protocol + ".";
        props.put(p + "host", config.host());
        props.put(p + "port", Integer.toString(config.port()));
        props.put(p + "connectiontimeout", timeout);
        props.put(p + "timeout", timeout);
        props.put(p + "writetimeout", timeout);
        props.put(p + "auth", Boolean.toString(!config.username().isBlank()));
        // Whoever brings their own socket factory (a test with a self-signed fake) owns the trust
        // decision, host name included; with the JDK's, the certificate must name the host.
        props.put(p + "ssl.checkserveridentity", Boolean.toString(sslSockets == null));
        if ("starttls".equals(security)) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if ("tls".equals(security)) {
            props.put(p + "ssl.enable", "true");
        }
        if (sslSockets != null) {
            props.put(p + "ssl.socketFactory", sslSockets);
        }
        this.session = Session.getInstance(props);
        this.messages = new EmailMessages(
                config.from(), ChannelTemplate.load(config.template(), OutputFormat.HTML), unsubscribeLinks);
    }

    @Override
    public String name() {
        return "smtp";
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
        } catch (RuntimeException e) {
            return new Outcome.ProviderDown("rendering failed: " + redactor.brief(String.valueOf(e.getMessage()), 300));
        }
        Outcome outcome = transmit(message);
        log.debug("smtp {} -> {}", envelope.id(), outcome);
        return outcome;
    }

    private Outcome transmit(MimeMessage message) {
        try (SMTPTransport transport = (SMTPTransport) session.getTransport(protocol)) {
            if (config.username().isBlank()) {
                transport.connect();
            } else {
                transport.connect(
                        config.host(),
                        config.port(),
                        config.username(),
                        config.password().reveal());
            }
            transport.sendMessage(message, message.getAllRecipients());
            // sendMessage returns only after the server's reply to the end of DATA.
            String reply = transport.getLastServerResponse();
            return new Outcome.Delivered(reply == null ? "" : redactor.brief(reply, 200));
        } catch (MessagingException e) {
            return classify(e);
        }
    }

    Outcome classify(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return new Outcome.ProviderDown("SMTP login refused: " + brief(e));
        }
        Integer code = replyCode(e);
        if (code != null) {
            String why = "SMTP " + code + ": " + brief(e);
            if (code >= 500) {
                return new Outcome.Rejected(why);
            }
            if (!refusedSender(e)
                    && (code == 421 || DEFERRAL.matcher(replyTexts(e)).find())) {
                // 421 or 4.7.x (RFC 3463: security or policy status, e.g. "try again later, rate limited").
                return Outcome.Retry.deferredByReceiver(Duration.ZERO, why);
            }
            if (code >= 400) {
                return new Outcome.Retry(Duration.ZERO, why);
            }
        }
        Throwable cause = rootCause(e);
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("starttls")) {
            // The server does not offer STARTTLS although it is required: never send in clear text.
            return new Outcome.ProviderDown("SMTP server does not offer STARTTLS, which is required: " + brief(e));
        }
        if (cause instanceof SSLException) {
            return new Outcome.ProviderDown(
                    "SMTP TLS failed: " + cause.getClass().getSimpleName() + ": "
                            + redactor.brief(String.valueOf(cause.getMessage()), 200));
        }
        if (cause instanceof SocketTimeoutException) {
            return new Outcome.Retry(
                    Duration.ZERO, "SMTP timed out after " + config.timeout().toMillis() + " ms");
        }
        return new Outcome.Retry(
                Duration.ZERO,
                "SMTP failed: " + brief(e)
                        + (cause != e ? " (" + cause.getClass().getSimpleName() + ")" : ""));
    }

    /** The SMTP reply code of the refusal, from the exception or the first nested one that has it. */
    private static Integer replyCode(MessagingException e) {
        Exception current = e;
        for (int depth = 0; current != null && depth < 10; depth++) {
            if (current instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (current instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                return s.getReturnCode();
            }
            if (current instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            current = current instanceof MessagingException m ? m.getNextException() : null;
        }
        return null;
    }

    /** Whether MAIL FROM was refused: about the sender, not about any receiver's domain. */
    private static boolean refusedSender(MessagingException e) {
        Exception current = e;
        for (int depth = 0; current != null && depth < 10; depth++) {
            if (current instanceof SMTPSenderFailedException) {
                return true;
            }
            current = current instanceof MessagingException m ? m.getNextException() : null;
        }
        return false;
    }

    /** The messages of the exception and its nested ones, where the server's reply text is. */
    private static String replyTexts(MessagingException e) {
        StringBuilder texts = new StringBuilder();
        Exception current = e;
        for (int depth = 0; current != null && depth < 10; depth++) {
            texts.append(current.getMessage()).append('\n');
            current = current instanceof MessagingException m ? m.getNextException() : null;
        }
        return texts.toString();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 10; depth++) {
            t = t.getCause();
        }
        return t;
    }

    private String brief(Exception e) {
        return redactor.brief(String.valueOf(e.getMessage()), 300);
    }

    @Override
    public String toString() {
        return "SmtpProvider[" + config.host() + ":" + config.port() + "]";
    }
}
