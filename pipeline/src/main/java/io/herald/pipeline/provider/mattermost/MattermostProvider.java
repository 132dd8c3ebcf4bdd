package io.herald.pipeline.provider.mattermost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.RetryAfter;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Mattermost incoming webhook, rendered as Markdown with the facts as a table. The target is the channel to post in
 * ({@code town-square}, or {@code @user} for a direct message), sent as the webhook's channel override.
 */
public final class MattermostProvider extends HttpProvider {

    /** Mattermost's default maximum post size, in characters. */
    static final int MAX_TEXT = 16_383;

    static final String MARKER = "\n\n… (truncated)";

    private final URI webhook;
    private final Optional<ChannelTemplate> template;
    private final ObjectMapper json = new ObjectMapper();

    public MattermostProvider(MattermostConfig config, Clock clock) {
        super(config.timeout(), Redactor.of(config.webhookUrl()), clock);
        this.webhook = URI.create(config.webhookUrl().reveal().strip());
        this.template = ChannelTemplate.load(config.template(), MattermostMarkdown.FORMAT);
    }

    @Override
    public String name() {
        return "mattermost";
    }

    @Override
    public String channel() {
        return "mattermost";
    }

    public static String markdown(Content c) {
        StringBuilder out = new StringBuilder();
        if (c.title() != null && !c.title().isBlank()) {
            out.append("#### ")
                    .append(MattermostMarkdown.escape(c.title().strip()))
                    .append("\n\n");
        }
        if (c.text() != null && !c.text().isBlank()) {
            out.append(MattermostMarkdown.escape(c.text().strip())).append("\n\n");
        }
        if (!c.facts().isEmpty()) {
            out.append("| | |\n|:--|:--|\n");
            for (Fact f : c.facts()) {
                out.append("| **")
                        .append(cell(f.label()))
                        .append("** | ")
                        .append(cell(f.value()))
                        .append(" |\n");
            }
            out.append("\n");
        }
        if (!c.hints().isEmpty()) {
            out.append("**Hints**\n");
            c.hints()
                    .forEach(h -> out.append("* ")
                            .append(MattermostMarkdown.escape(h))
                            .append("\n"));
            out.append("\n");
        }
        for (Link link : c.links()) {
            String url = link.url() == null ? "" : link.url().strip();
            if (url.toLowerCase(Locale.ROOT).matches("https?://[^\\s()<>]+")) {
                out.append("[")
                        .append(MattermostMarkdown.escape(link.label()))
                        .append("](")
                        .append(url)
                        .append(")\n");
            } else {
                out.append(MattermostMarkdown.escape(link.label() + ": " + url)).append("\n");
            }
        }
        return out.toString().strip();
    }

    private static String cell(String s) {
        // A table cell ends at a line break; Markdown escaping already protects '|'.
        return MattermostMarkdown.escape(s == null ? "" : s).replaceAll("\\R", " ");
    }

    public ObjectNode payload(Envelope envelope) {
        String text = template.map(t -> t.render(envelope)).orElseGet(() -> markdown(envelope.content()));
        if (text.length() > MAX_TEXT) {
            int end = MAX_TEXT - MARKER.length();
            if (Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            text = text.substring(0, end) + MARKER;
        }
        ObjectNode body = json.createObjectNode();
        body.put("text", text);
        String target = envelope.target().strip();
        if (!target.isEmpty()) {
            body.put("channel", target);
        }
        return body;
    }

    @Override
    protected Call call(Envelope envelope) {
        return new Call("POST", webhook, payload(envelope).toString(), Map.of());
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        if (answer.is2xx()) {
            return new Outcome.Delivered("ok");
        }
        String id = errorId(answer.body());
        String why = "Mattermost " + answer.status() + (answer.body().isBlank() ? "" : ": " + brief(answer.body()));
        if (answer.status() == 429) {
            return new Outcome.Retry(retryAfter(answer), why);
        }
        // The status alone is ambiguous: 404 is both "no such channel" (the caller's target) and "the
        // webhook's own channel is gone" (the configuration). The error id says which; ids and statuses
        // as in Mattermost's App.HandleIncomingWebhook (server/channels/app/webhook.go).
        return switch (id) {
            // The target named a channel that does not exist, that this webhook may not post to
            // (locked to its own channel), that is private to its owner, or a user that does not exist.
            case "web.incoming_webhook.channel.app_error",
                    "web.incoming_webhook.channel_locked.app_error",
                    "web.incoming_webhook.permissions.app_error" ->
                answer.status() >= 500 ? new Outcome.Retry(retryAfterHeader(answer), why) : new Outcome.Rejected(why);
            case "web.incoming_webhook.user.app_error" ->
                answer.status() == 400 ? new Outcome.Rejected(why) : new Outcome.ProviderDown(why);
            // The webhook was deleted, incoming webhooks are off, or the webhook's channel is gone.
            case "web.incoming_webhook.invalid.app_error",
                    "web.incoming_webhook.disabled.app_error",
                    "app.channel.get.existing.app_error" -> new Outcome.ProviderDown(why);
            default ->
                switch (answer.status()) {
                    case 401, 403, 404, 501 -> new Outcome.ProviderDown(why);
                    case 400, 413 -> new Outcome.Rejected(why);
                    default ->
                        new Outcome.Retry(answer.status() >= 500 ? retryAfterHeader(answer) : Duration.ZERO, why);
                };
        };
    }

    /** The {@code id} of a Mattermost AppError answer, or empty when the body is not one. */
    private String errorId(String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body)
                    .path("id")
                    .asText("");
        } catch (Exception e) {
            return "";
        }
    }

    /** Mattermost's limiter sends Retry-After, and X-Ratelimit-Reset as seconds until the reset. */
    private Duration retryAfter(HttpJson.Answer answer) {
        Duration header = retryAfterHeader(answer);
        if (header.isPositive()) {
            return header;
        }
        return answer.header("X-Ratelimit-Reset").flatMap(RetryAfter::seconds).orElse(Duration.ZERO);
    }
}
