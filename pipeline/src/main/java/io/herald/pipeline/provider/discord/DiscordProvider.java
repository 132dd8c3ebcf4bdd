package io.herald.pipeline.provider.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.RetryAfter;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.Escape;
import io.herald.pipeline.provider.render.OutputFormat;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Discord webhook, rendered as one embed: title, Markdown description, the facts as inline fields, hints in the
 * footer. A numeric target (a user id) is mentioned, and {@code allowed_mentions} lets only that user be pinged: a job
 * called {@code @everyone} pings nobody. Sent with {@code ?wait=true}, so Discord answers with the created message and
 * its id.
 */
public final class DiscordProvider extends HttpProvider {

    static final int TITLE_MAX = 256;
    static final int DESCRIPTION_MAX = 4096;
    static final int FIELDS_MAX = 25;
    static final int FIELD_NAME_MAX = 256;
    static final int FIELD_VALUE_MAX = 1024;
    static final int FOOTER_MAX = 2048;
    /** Discord's limit on all of an embed's text together. */
    static final int EMBED_TOTAL_MAX = 6000;

    private static final Pattern USER_ID = Pattern.compile("[0-9]{5,25}");

    private final URI webhook;
    private final Optional<ChannelTemplate> template;
    private final ObjectMapper json = new ObjectMapper();

    public DiscordProvider(DiscordConfig config, Clock clock) {
        super(config.timeout(), Redactor.of(config.webhookUrl()), clock);
        String url = config.webhookUrl().reveal().strip();
        this.webhook = URI.create(url + (url.contains("?") ? "&" : "?") + "wait=true");
        this.template = ChannelTemplate.load(config.template(), OutputFormat.MARKDOWN);
    }

    @Override
    public String name() {
        return "discord";
    }

    @Override
    public String channel() {
        return "discord";
    }

    public ObjectNode payload(Envelope envelope) {
        Content c = envelope.content();
        ObjectNode body = json.createObjectNode();
        ObjectNode allowed = body.putObject("allowed_mentions");
        allowed.putArray("parse");
        if (USER_ID.matcher(envelope.target()).matches()) {
            body.put("content", "<@" + envelope.target() + ">");
            allowed.putArray("users").add(envelope.target());
        }
        ObjectNode embed = body.putArray("embeds").addObject();
        int budget = EMBED_TOTAL_MAX;
        if (c.title() != null && !c.title().isBlank()) {
            String title = cut(c.title().strip(), TITLE_MAX);
            embed.put("title", title);
            budget -= title.length();
        }
        String description = template.map(t -> t.render(envelope)).orElseGet(() -> description(c));
        int facts = Math.min(FIELDS_MAX, c.facts().size());
        int factChars = c.facts().stream()
                .limit(facts)
                .mapToInt(f -> Math.min(FIELD_NAME_MAX, len(f.label())) + Math.min(FIELD_VALUE_MAX, len(f.value()) * 2))
                .sum();
        // The description gives way first: the facts are the at-a-glance part.
        String shown = cut(
                description, Math.max(0, Math.min(DESCRIPTION_MAX, budget - Math.min(factChars, budget / 2) - 200)));
        if (!shown.isBlank()) {
            embed.put("description", shown);
            budget -= shown.length();
        }
        ArrayNode fields = embed.putArray("fields");
        for (Fact f : c.facts().subList(0, facts)) {
            String name = cut(blankToDash(f.label()), FIELD_NAME_MAX);
            String value = cut(Escape.markdown(blankToDash(f.value())), FIELD_VALUE_MAX);
            if (name.length() + value.length() > budget - 100) {
                break;
            }
            fields.addObject().put("name", name).put("value", value).put("inline", true);
            budget -= name.length() + value.length();
        }
        if (!c.hints().isEmpty()) {
            String footer =
                    cut("Hints: " + String.join(" · ", c.hints()), Math.min(FOOTER_MAX, Math.max(0, budget - 50)));
            if (!footer.isBlank()) {
                embed.putObject("footer").put("text", footer);
            }
        }
        return body;
    }

    static String description(Content c) {
        StringBuilder out = new StringBuilder();
        if (c.text() != null && !c.text().isBlank()) {
            out.append(Escape.markdown(c.text().strip()));
        }
        for (Link link : c.links()) {
            String url = link.url() == null ? "" : link.url().strip();
            out.append(out.isEmpty() ? "" : "\n");
            if (url.toLowerCase(Locale.ROOT).matches("https?://[^\\s()<>]+")) {
                out.append("[")
                        .append(Escape.markdown(link.label()))
                        .append("](")
                        .append(url)
                        .append(")");
            } else {
                out.append(Escape.markdown(link.label() + ": " + url));
            }
        }
        return out.toString();
    }

    @Override
    protected Call call(Envelope envelope) {
        return new Call("POST", webhook, payload(envelope).toString(), Map.of());
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        JsonNode body = parse(answer.body());
        if (answer.is2xx()) {
            return new Outcome.Delivered(body.path("id").asText(""));
        }
        String message = body.path("message").asText("");
        String why = "Discord " + answer.status() + (message.isEmpty() ? "" : ": " + brief(message))
                + (body.has("code") ? " (code " + body.path("code").asText() + ")" : "");
        return switch (answer.status()) {
            case 429 -> new Outcome.Retry(retryAfter(body, answer), why);
            case 401, 403, 404 -> new Outcome.ProviderDown(why);
            case 400, 413 -> new Outcome.Rejected(why);
            default -> new Outcome.Retry(answer.status() >= 500 ? retryAfterHeader(answer) : Duration.ZERO, why);
        };
    }

    /** Discord's body says retry_after in seconds with a fraction; the header rounds it. */
    private Duration retryAfter(JsonNode body, HttpJson.Answer answer) {
        JsonNode retry = body.path("retry_after");
        if (retry.isNumber()) {
            return RetryAfter.seconds(retry.asText()).orElse(Duration.ZERO);
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

    private static int len(String s) {
        return s == null ? 1 : Math.max(1, s.length());
    }

    private static String blankToDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        if (max <= 1) {
            return "";
        }
        int end = max - 1;
        if (Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        // Never leave a dangling escape backslash before the marker.
        while (end > 0 && s.charAt(end - 1) == '\\') {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
