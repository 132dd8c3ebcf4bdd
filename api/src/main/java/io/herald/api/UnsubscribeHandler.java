package io.herald.api;

import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.unsubscribe.UnsubscribeTokens;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 8058 one-click unsubscribe at {@code /u/{token}}, the link in every email's {@code List-Unsubscribe} header. A
 * mail client's {@code POST} (body {@code List-Unsubscribe=One-Click}, form-encoded or multipart, or none) suppresses
 * the token's address for the token's category at once: no cookie, no login, no API key, since the signed token is the
 * whole proof. {@code GET} only shows a page with a button that makes that POST, because link scanners and previews
 * open every link in a mail and must not unsubscribe anyone. A token this API did not sign gets 400 and changes
 * nothing. Neither tokens nor addresses are logged (only the address's domain).
 */
final class UnsubscribeHandler {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeHandler.class);

    /** What a suppression added here says, for the admin list. */
    static final String REASON = "unsubscribed";

    static final String SOURCE = "unsubscribe";
    /** RFC 8058's body is 26 bytes and a multipart one a few hundred: anything larger is no unsubscribe request. */
    static final int MAX_BODY_BYTES = 4 * 1024;
    /**
     * Requests per second all clients together may make here: a newsletter's one-click POSTs arrive spread over hours,
     * while a flood of guessed tokens would cost a signature check each, and a valid one a store write.
     */
    static final int REQUESTS_PER_SECOND = 50;

    private static final String PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final UnsubscribeTokens tokens;
    private final Suppressions suppressions;
    private final Clock clock;
    private final TokenBucket limit;

    /**
     * @param tokens what checks the links' signatures; null when unsubscribe links are off (404)
     * @param suppressions where an unsubscribe is recorded; null when this API has no suppression list (503)
     */
    UnsubscribeHandler(UnsubscribeTokens tokens, Suppressions suppressions, Clock clock) {
        this.tokens = tokens;
        this.suppressions = suppressions;
        this.clock = clock;
        this.limit = new TokenBucket(REQUESTS_PER_SECOND, Duration.ofSeconds(1), System::nanoTime);
    }

    /** {@code GET /u/{token}}: what the link would stop, and a button; never unsubscribes. */
    void page(Context ctx) {
        Optional<UnsubscribeTokens.Unsubscription> unsubscription = admit(ctx);
        if (unsubscription.isEmpty()) {
            return;
        }
        String category = escape(unsubscription.get().category());
        // No action attribute: the form posts back to this very link, whatever prefix a proxy put in front of it.
        html(
                ctx,
                HttpStatus.OK,
                "Unsubscribe",
                "<p>Stop receiving <b>" + category + "</b> mail at "
                        + escape(unsubscription.get().address())
                        + "?</p>\n<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
                        + "value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>");
    }

    /** {@code POST /u/{token}}: suppresses the token's address for its category. */
    void unsubscribe(Context ctx) throws IOException {
        byte[] body = ctx.bodyInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            ctx.header("Connection", "close");
            html(
                    ctx,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "Not an unsubscribe request",
                    "<p>The request body is more than " + MAX_BODY_BYTES + " bytes; a one-click unsubscribe sends "
                            + "List-Unsubscribe=One-Click.</p>");
            return;
        }
        Optional<UnsubscribeTokens.Unsubscription> unsubscription = admit(ctx);
        if (unsubscription.isEmpty()) {
            return;
        }
        String address = unsubscription.get().address();
        String category = unsubscription.get().category();
        try {
            suppressions.add(new Suppression(address, category, REASON, SOURCE, clock.instant()));
        } catch (RuntimeException e) {
            log.warn(
                    "unsubscribe from {} at {} not recorded, answering 503: {}",
                    category,
                    domainOf(address),
                    e.getClass().getSimpleName());
            ctx.header("Retry-After", "60");
            html(
                    ctx,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Please try again",
                    "<p>Your request could not be recorded just now. Please try again in a minute.</p>");
            return;
        }
        log.info("unsubscribed an address at {} from {}", domainOf(address), category);
        html(
                ctx,
                HttpStatus.OK,
                "Unsubscribed",
                "<p>Done: " + escape(address) + " will get no more <b>" + escape(category) + "</b> mail from us.</p>");
    }

    /** The token's unsubscription, or empty with the answer already written (404 off, 429, 400 not ours, 503). */
    private Optional<UnsubscribeTokens.Unsubscription> admit(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (tokens == null) {
            html(
                    ctx,
                    HttpStatus.NOT_FOUND,
                    "Not found",
                    "<p>Unsubscribe links are off here (unsubscribe.publicUrl is not set).</p>");
            return Optional.empty();
        }
        Optional<Duration> wait = limit.take();
        if (wait.isPresent()) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (wait.get().toMillis() + 999) / 1000)));
            html(ctx, HttpStatus.TOO_MANY_REQUESTS, "Busy", "<p>Too many requests just now. Please try again.</p>");
            return Optional.empty();
        }
        Optional<UnsubscribeTokens.Unsubscription> unsubscription = tokens.check(ctx.pathParam("token"));
        if (unsubscription.isEmpty()) {
            html(
                    ctx,
                    HttpStatus.BAD_REQUEST,
                    "Link not valid",
                    "<p>This unsubscribe link is not valid: it is incomplete or was changed. "
                            + "Use the link from the email itself.</p>");
            return Optional.empty();
        }
        if (suppressions == null) {
            ctx.header("Retry-After", "60");
            html(
                    ctx,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Please try again",
                    "<p>Unsubscribing is not available just now. Please try again later.</p>");
            return Optional.empty();
        }
        return unsubscription;
    }

    private static void html(Context ctx, HttpStatus status, String title, String body) {
        ctx.attribute(ApiJson.ANSWERED, Boolean.TRUE);
        ctx.header("Content-Security-Policy", PAGE_CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.status(status).contentType("text/html; charset=utf-8");
        String page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>" + escape(title)
                + "</title></head>\n<body style=\"font-family:sans-serif;max-width:36em;margin:3em auto\">\n<h1>"
                + escape(title) + "</h1>\n" + body + "\n</body></html>\n";
        try {
            ctx.outputStream().write(page.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "(no domain)" : address.substring(at + 1);
    }

    /** The five characters that matter in HTML text and attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
