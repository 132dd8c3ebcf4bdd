package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Link;
import io.herald.core.envelope.Origin;
import io.herald.core.envelope.Sender;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.LinkNonces;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.preferences.UserPreferences;
import io.herald.core.sqs.EnqueueResult;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slurm users' own way in to their preferences ({@code /#/me}), without accounts or passwords: {@code POST /v1/me/link}
 * sends a signed link to the user's default receiver ({@code user@mailDomain}, the address Slurm itself mails, or a
 * chat linked to the user: {@link MagicLinkDestination}), so only who reads that mailbox or chat gets in; {@code POST
 * /v1/me/session} trades the link, once, for a session bound to that user; {@code GET/PUT /v1/me/preferences} with that
 * session reads and writes that user's preferences and nobody else's ({@link ApiRole#SELF}).
 *
 * <p>Asking for a link always gets the same 202, whoever the user is and whether a link was sent or held back by the
 * per-user or the global limit, or had nowhere to go, so the endpoint cannot tell who has an account here.
 */
final class SelfServiceHandler {

    private static final Logger log = LoggerFactory.getLogger(SelfServiceHandler.class);
    private static final String SELF_USER = "herald.self";
    /** Users whose link limit is remembered at once; beyond it the memory starts over (a site has fewer). */
    static final int MAX_LIMITED_USERS = 10_000;

    /**
     * The parts a self-service API needs besides the configuration; null in an API without them.
     *
     * @param mailDomain mailprog.mailDomain; blank: links go to linked chats only
     */
    record Parts(LinkNonces nonces, ChatLinks links, String mailDomain, Optional<Sender> sender) {}

    /** The session's user, or the refusal to answer: exactly one is set. */
    record SelfAdmitted(String user, Reply refusal) {}

    private final HeraldConfig.Api.SelfService config;
    private final SelfServiceTokens tokens;
    private final Parts parts;
    private final PreferencesHandler preferences;
    private final PreferencesStore preferencesStore;
    private final RequestEnqueuer dispatcher;
    private final Intake intake;
    private final ApiJson json;
    private final Clock clock;
    private final Map<String, TokenBucket> linkLimits = new HashMap<>();
    /** All users' links together: asking for many names must not send each of them linksPerHour. */
    private final TokenBucket allLinks;

    /** @param preferencesStore where a chat named as a receiver is looked up; null: not looked up */
    SelfServiceHandler(
            HeraldConfig.Api.SelfService config,
            Parts parts,
            PreferencesHandler preferences,
            PreferencesStore preferencesStore,
            RequestEnqueuer dispatcher,
            Intake intake,
            ApiJson json,
            Clock clock) {
        this.config = config;
        this.parts = parts;
        this.tokens = config.enabled() && parts != null ? new SelfServiceTokens(config.linkSecret(), clock) : null;
        this.preferences = preferences;
        this.preferencesStore = preferencesStore;
        this.allLinks = new TokenBucket(config.linksPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        this.dispatcher = dispatcher;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
    }

    /** {@code POST /v1/me/link {"user": "alice"}}. */
    void link(Context ctx) throws IOException, InterruptedException {
        Intake.Body body = intake.readObject(ctx, "a JSON object with the user name, e.g. {\"user\": \"alice\"}");
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        if (tokens == null) {
            json.send(ctx, off());
            return;
        }
        JsonNode userNode = body.object().get("user");
        String user = userNode == null || !userNode.isTextual()
                ? null
                : userNode.asText().strip();
        String problem =
                userNode != null && !userNode.isTextual() ? "must be a string" : PreferencesCodec.userProblem(user);
        if (problem != null) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), Map.of("user", problem)));
            return;
        }
        Reply accepted = new Reply(
                HttpStatus.ACCEPTED.getCode(),
                json.write(Map.of(
                        "message",
                        "If " + user + " is known here, a link to their preferences is on its way to their mailbox or "
                                + "linked chat. It works once, within " + minutes(config.linkValidity())
                                + " minutes.")),
                Map.of());
        // Every answer below but an outage is this same one: another would tell who exists and who asked recently.
        if (!takeLink(user)) {
            log.info(
                    "no self-service link sent to {}: over api.selfService.linksPerHour ({})",
                    user,
                    config.linksPerHour());
            json.send(ctx, accepted);
            return;
        }
        // After the user's own limit, so that one name asked for over and over does not use up everyone's.
        if (allLinks.take().isPresent()) {
            log.warn(
                    "no self-service link sent to {}: over api.selfService.linksPerMinute ({}) for all users",
                    user,
                    config.linksPerMinute());
            json.send(ctx, accepted);
            return;
        }
        MagicLinkDestination destination;
        try {
            destination = destinationOf(user);
        } catch (RuntimeException e) {
            log.warn("self-service link for {} not sent, its receiver cannot be looked up: {}", user, e.getMessage());
            json.send(ctx, intake.unavailable());
            return;
        }
        if (destination instanceof MagicLinkDestination.Nowhere) {
            log.info(
                    "no self-service link sent to {}: mailprog.mailDomain is empty and no chat is linked to them",
                    user);
            json.send(ctx, accepted);
            return;
        }
        String token = tokens.issue(SelfServiceTokens.LINK, user, config.linkValidity());
        String url = config.publicUrl().replaceAll("/+$", "") + "/#/me?t=" + token;
        Content content = Content.of(
                        "Your Herald notification settings",
                        "Someone (hopefully you) asked to change how Herald tells " + user
                                + " about Slurm jobs. Open this "
                                + "link within " + minutes(config.linkValidity()) + " minutes; it works once:\n\n" + url
                                + "\n\nIf it was not you, ignore this message: nothing changes without the link.")
                .withLinks(List.of(new Link("Open my notification settings", url)));
        Envelope toSend = switch (destination) {
            case MagicLinkDestination.Mailbox(String address) -> {
                // A sign-in link: the receiver asked for it, so it carries no unsubscribe link (RFC 8058).
                Envelope mail = Envelope.create("email", address, content, Origin.api("self-service"), clock.instant())
                        .withCategory(Envelope.TRANSACTIONAL);
                yield parts.sender().map(mail::withSender).orElse(mail);
            }
            case MagicLinkDestination.LinkedChat(ChatLinks.ChatLink chat, boolean named) ->
                Envelope.create(chat.channel(), chat.chatId(), content, Origin.api("self-service"), clock.instant());
            case MagicLinkDestination.Nowhere() -> throw new IllegalStateException("answered above");
        };
        List<EnqueueResult> results;
        try (BatchingEnqueuer.Arrival arrival = dispatcher.expect()) {
            results = dispatcher.dispatch(arrival, List.of(toSend));
        }
        if (!(results.getFirst() instanceof EnqueueResult.Enqueued)) {
            log.warn("self-service link for {} not queued: {}", user, results.getFirst());
            json.send(ctx, intake.unavailable());
            return;
        }
        // The message id, never the link: whoever reads the log must not be able to use it.
        log.info(
                "self-service link for {} queued as message {} to their {}",
                user,
                toSend.id(),
                destination instanceof MagicLinkDestination.Mailbox ? "mailbox" : "linked chat");
        json.send(ctx, accepted);
    }

    private MagicLinkDestination destinationOf(String user) {
        List<ChatLinks.ChatLink> links = parts.links().linksOf(user);
        // The preferences matter only to pick among linked chats: without one, no read.
        Optional<UserPreferences> saved =
                links.isEmpty() || preferencesStore == null ? Optional.empty() : preferencesStore.find(user);
        return MagicLinkDestination.choose(user, parts.mailDomain(), links, saved);
    }

    /** {@code POST /v1/me/session {"token": "..."}}: the link's token, once, for a session. */
    void session(Context ctx) throws IOException {
        Intake.Body body = intake.readObject(ctx, "a JSON object with the link's token, e.g. {\"token\": \"...\"}");
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        if (tokens == null) {
            json.send(ctx, off());
            return;
        }
        JsonNode tokenNode = body.object().get("token");
        if (tokenNode == null || !tokenNode.isTextual() || tokenNode.asText().isBlank()) {
            json.send(
                    ctx,
                    json.errors(
                            HttpStatus.BAD_REQUEST.getCode(),
                            Map.of("token", "is required: the t= part of the link you were sent")));
            return;
        }
        Reply reply = switch (tokens.check(SelfServiceTokens.LINK, tokenNode.asText())) {
            case SelfServiceTokens.Check.Forged() ->
                linkRefused("This link is not valid: it is incomplete or was " + "changed. Ask for a new one.");
            case SelfServiceTokens.Check.Expired(String user) ->
                linkRefused("This link has expired: links work for " + minutes(config.linkValidity())
                        + " minutes. Ask for a new one.");
            case SelfServiceTokens.Check.Valid(String user, String nonce, Instant expiresAt) ->
                exchange(user, nonce, expiresAt);
        };
        json.send(ctx, reply);
    }

    private Reply exchange(String user, String nonce, Instant expiresAt) {
        boolean first;
        try {
            first = parts.nonces().consume(nonce, expiresAt);
        } catch (RuntimeException e) {
            log.warn("self-service link of {} cannot be checked, answering 503: {}", user, e.getMessage());
            return intake.unavailable();
        }
        if (!first) {
            log.info("a used self-service link of {} was presented again", user);
            return linkRefused("This link was already used: each link works once. Ask for a new one.");
        }
        String session = tokens.issue(SelfServiceTokens.SESSION, user, config.sessionValidity());
        log.info("self-service session opened for {}", user);
        return new Reply(
                HttpStatus.OK.getCode(),
                json.write(new SessionReply(
                        session,
                        user,
                        clock.instant().plus(config.sessionValidity()).toString())),
                Map.of("Cache-Control", "no-store"));
    }

    record SessionReply(String session, String user, String expiresAt) {}

    /**
     * The door for {@link ApiRole#SELF} routes: a session this API issued, unexpired; the routes then act on its user
     * only. An API key is not a session: admins use {@code /v1/users/{user}}.
     */
    SelfAdmitted admit(Context ctx) {
        if (tokens == null) {
            return new SelfAdmitted(null, off());
        }
        String authorization = ctx.header("Authorization");
        String bearer = "bearer ";
        if (authorization == null
                || authorization.length() <= bearer.length()
                || !authorization.regionMatches(true, 0, bearer, 0, bearer.length())) {
            return new SelfAdmitted(
                    null, sessionRefused("Missing session: open the link you were sent, " + "or ask for a new one"));
        }
        return switch (tokens.check(SelfServiceTokens.SESSION, authorization.substring(bearer.length()))) {
            case SelfServiceTokens.Check.Valid(String user, String nonce, Instant expiresAt) ->
                new SelfAdmitted(user, null);
            case SelfServiceTokens.Check.Expired(String user) ->
                new SelfAdmitted(null, sessionRefused("Your session has expired; ask for a new link"));
            case SelfServiceTokens.Check.Forged() ->
                new SelfAdmitted(null, sessionRefused("Invalid session; ask for a new link"));
        };
    }

    static void admitted(Context ctx, String user) {
        ctx.attribute(SELF_USER, user);
    }

    private static String user(Context ctx) {
        String user = ctx.attribute(SELF_USER);
        if (user == null) {
            throw new IllegalStateException(ctx.method() + " " + ctx.path() + " is not declared SELF");
        }
        return user;
    }

    /** {@code GET /v1/me/preferences}: the session's user's, nobody else's. */
    void show(Context ctx) {
        preferences.show(ctx, user(ctx));
    }

    /** {@code PUT /v1/me/preferences}: the session's user's, nobody else's. */
    void save(Context ctx) throws IOException {
        String user = user(ctx);
        preferences.save(ctx, user, user + " (self-service)", "self:" + user);
    }

    /**
     * Counts a link against the user's hourly limit. Only users whose limit has refilled are forgotten when the memory
     * is full: forgetting others would let whoever asks for links to thousands of names reset a victim's limit and
     * flood their mailbox. While it stays full of recent askers, no link goes to a new name (the answer is the same
     * 202) until some refill.
     */
    private synchronized boolean takeLink(String user) {
        if (linkLimits.size() >= MAX_LIMITED_USERS && !linkLimits.containsKey(user)) {
            linkLimits.values().removeIf(TokenBucket::isFull);
            if (linkLimits.size() >= MAX_LIMITED_USERS) {
                log.warn("no self-service link sent: {} user names asked for links within the hour", linkLimits.size());
                return false;
            }
        }
        return linkLimits
                .computeIfAbsent(
                        user, u -> new TokenBucket(config.linksPerHour(), Duration.ofHours(1), System::nanoTime))
                .take()
                .isEmpty();
    }

    private Reply linkRefused(String message) {
        return json.errors(HttpStatus.UNAUTHORIZED.getCode(), Map.of("token", message));
    }

    private Reply sessionRefused(String message) {
        return json.error(HttpStatus.UNAUTHORIZED.getCode(), message)
                .withHeader("WWW-Authenticate", "Bearer realm=\"herald-self-service\"");
    }

    private Reply off() {
        return json.error(
                HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                "Self-service links are off here: " + "api.selfService.publicUrl is not set (see herald.example.yaml)");
    }

    private static long minutes(Duration d) {
        return Math.max(1, d.toMinutes());
    }
}
