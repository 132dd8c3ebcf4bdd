package io.herald.pipeline.provider.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.RetryAfter;
import io.herald.pipeline.provider.TargetPacer;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Telegram Bot API {@code sendMessage} in HTML parse mode. The target is a chat id (or {@code @channelname}). Telegram
 * allows about 30 messages per second per bot (the provider's rate limit) and about one per second per chat (a pacer
 * per chat).
 */
public final class TelegramProvider extends HttpProvider {

    private final URI sendMessage;
    private final Optional<ChannelTemplate> template;
    private final TargetPacer chats;
    private final ObjectMapper json = new ObjectMapper();

    public TelegramProvider(TelegramConfig config, Clock clock) {
        super(config.timeout(), Redactor.of(config.botToken()), clock);
        // The token is part of the path: this URI must never be logged or put in a reason.
        this.sendMessage = URI.create(
                stripSlash(config.baseUrl()) + "/bot" + config.botToken().reveal() + "/sendMessage");
        this.template = ChannelTemplate.load(config.template(), TelegramHtml.FORMAT);
        this.chats = new TargetPacer(config.chatInterval(), config.timeout().dividedBy(2), clock);
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public String channel() {
        return "telegram";
    }

    /** The HTML text sent for an envelope, already within Telegram's limit. */
    public String text(Envelope envelope) {
        String html = template.map(t -> t.render(envelope)).orElseGet(() -> TelegramHtml.render(envelope.content()));
        if (html.isBlank()) {
            html = "(empty notification)";
        }
        return TelegramHtml.truncate(html, TelegramHtml.MAX_VISIBLE);
    }

    @Override
    protected Optional<Outcome.Retry> waitForTarget(Envelope envelope) {
        return chats.enter(envelope.target());
    }

    @Override
    protected Call call(Envelope envelope) {
        ObjectNode body = json.createObjectNode();
        body.put("chat_id", envelope.target());
        body.put("text", text(envelope));
        body.put("parse_mode", "HTML");
        body.putObject("link_preview_options").put("is_disabled", true);
        return new Call("POST", sendMessage, body.toString(), Map.of());
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        JsonNode body = parse(answer.body());
        String description = body.path("description").asText("");
        if (answer.is2xx() && body.path("ok").asBoolean(false)) {
            return new Outcome.Delivered(body.path("result").path("message_id").asText(""));
        }
        String why = "Telegram " + answer.status() + (description.isEmpty() ? "" : ": " + brief(description));
        return switch (answer.status()) {
            case 429 -> new Outcome.Retry(retryAfter(body, answer), why);
            // Bad chat id or markup: this message; a user who blocked the bot: this receiver.
            case 400, 403 -> new Outcome.Rejected(why);
            // A revoked or malformed token: nothing will go out until the configuration changes.
            case 401, 404 -> new Outcome.ProviderDown(why);
            default ->
                answer.status() >= 500
                        ? new Outcome.Retry(retryAfterHeader(answer), why)
                        : new Outcome.Retry(Duration.ZERO, why + " (unexpected answer)");
        };
    }

    private Duration retryAfter(JsonNode body, HttpJson.Answer answer) {
        JsonNode seconds = body.path("parameters").path("retry_after");
        if (seconds.isNumber()) {
            return RetryAfter.seconds(seconds.asText()).orElse(Duration.ZERO);
        }
        return retryAfterHeader(answer);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    static String stripSlash(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
