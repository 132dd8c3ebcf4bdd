package io.herald.pipeline.provider.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.Escape;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Slack incoming webhook, rendered as Block Kit: a header, the text, the facts as fields, hints as context and links.
 * An incoming webhook posts to the one channel it was made for; a target that is a Slack user id
 * ({@code U…}/{@code W…}) is mentioned in the message.
 *
 * <p>No caller text can notify a channel: {@code <} is escaped, so {@code <!channel>}, {@code <!here>},
 * {@code <!everyone>} and {@code <@U…>} cannot be written, every mrkdwn object is {@code verbatim} (Slack's "automatic
 * parsing" of plain {@code @channel} and names is off), and a bare {@code @} gets a word joiner
 * ({@link Escape#mentions}).
 */
public final class SlackProvider extends HttpProvider {

    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int FIELDS_PER_SECTION = 10;
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");

    private final URI webhook;
    private final Optional<ChannelTemplate> template;
    private final ObjectMapper json = new ObjectMapper();

    public SlackProvider(SlackConfig config, Clock clock) {
        super(config.timeout(), Redactor.of(config.webhookUrl()), clock);
        this.webhook = URI.create(config.webhookUrl().reveal().strip());
        this.template = ChannelTemplate.load(config.template(), SlackMrkdwn.FORMAT);
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public String channel() {
        return "slack";
    }

    /** The webhook payload: a plain fallback text for notifications and the blocks. */
    public ObjectNode payload(Envelope envelope) {
        Content c = envelope.content();
        ObjectNode body = json.createObjectNode();
        String mention = USER_ID.matcher(envelope.target()).matches() ? "<@" + envelope.target() + "> " : "";
        body.put("text", mention + SlackMrkdwn.escape(nonBlank(c.title(), c.text())));
        ArrayNode blocks = body.putArray("blocks");
        if (c.title() != null && !c.title().isBlank()) {
            ObjectNode header = blocks.addObject().put("type", "header");
            header.putObject("text")
                    .put("type", "plain_text")
                    .put("text", cut(Escape.mentions(c.title().strip()), HEADER_MAX))
                    .put("emoji", true);
        }
        String text = template.map(t -> t.render(envelope))
                .orElseGet(() ->
                        c.text() == null ? "" : SlackMrkdwn.escape(c.text().strip()));
        if (!mention.isEmpty() || !text.isBlank()) {
            section(blocks, cut(mention + text, SECTION_MAX));
        }
        List<Fact> facts = c.facts();
        for (int from = 0; from < facts.size() && blocks.size() < 45; from += FIELDS_PER_SECTION) {
            ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
            for (Fact f : facts.subList(from, Math.min(facts.size(), from + FIELDS_PER_SECTION))) {
                fields.addObject()
                        .put("type", "mrkdwn")
                        .put("verbatim", true)
                        .put(
                                "text",
                                cut(
                                        "*" + SlackMrkdwn.escape(f.label()) + "*\n" + SlackMrkdwn.escape(f.value()),
                                        FIELD_MAX));
            }
        }
        if (!c.hints().isEmpty()) {
            ArrayNode elements = blocks.addObject().put("type", "context").putArray("elements");
            for (String hint : c.hints().subList(0, Math.min(10, c.hints().size()))) {
                elements.addObject()
                        .put("type", "mrkdwn")
                        .put("verbatim", true)
                        .put("text", cut(":bulb: " + SlackMrkdwn.escape(hint), FIELD_MAX));
            }
        }
        List<String> links = new ArrayList<>();
        for (Link link : c.links()) {
            links.add(
                    isWebLink(link.url())
                                    && link.url().indexOf('|') < 0
                                    && link.url().indexOf('>') < 0
                            ? "<" + link.url().strip() + "|" + SlackMrkdwn.escape(link.label()) + ">"
                            : SlackMrkdwn.escape(link.label() + ": " + link.url()));
        }
        if (!links.isEmpty()) {
            section(blocks, cut(String.join("  ·  ", links), SECTION_MAX));
        }
        return body;
    }

    @Override
    protected Call call(Envelope envelope) {
        return new Call("POST", webhook, payload(envelope).toString(), Map.of());
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        String body = answer.body().strip();
        if (answer.status() == 200) {
            return new Outcome.Delivered("ok");
        }
        String why = "Slack " + answer.status() + (body.isEmpty() ? "" : ": " + brief(body));
        return switch (answer.status()) {
            case 429 -> new Outcome.Retry(retryAfterHeader(answer), why);
            // The webhook was revoked, disabled or its app uninstalled: nothing goes out.
            case 401, 403 -> new Outcome.ProviderDown(why);
            case 404 ->
                body.startsWith("no_service") || body.startsWith("no_active_hooks")
                        ? new Outcome.ProviderDown(why)
                        : new Outcome.Rejected(why);
            case 400, 410, 413 -> new Outcome.Rejected(why);
            default -> new Outcome.Retry(answer.status() >= 500 ? retryAfterHeader(answer) : Duration.ZERO, why);
        };
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put("text", mrkdwn)
                .put("verbatim", true);
    }

    private static String nonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        return b == null ? "" : b.strip();
    }

    static boolean isWebLink(String url) {
        String u = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("https://") || u.startsWith("http://");
    }

    /** Cuts to a limit without splitting a surrogate pair or an entity, marking the cut. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        int amp = s.lastIndexOf('&', end - 1);
        if (amp >= 0 && amp > end - 6 && s.indexOf(';', amp) >= end) {
            end = amp;
        }
        return s.substring(0, end) + "…";
    }
}
