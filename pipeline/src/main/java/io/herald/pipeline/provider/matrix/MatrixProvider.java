package io.herald.pipeline.provider.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.RetryAfter;
import io.herald.pipeline.provider.email.EmailBody;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.Escape;
import io.herald.pipeline.provider.render.OutputFormat;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Matrix client-server API: {@code PUT /rooms/{room}/send/m.room.message/{txnId}} as a bot user, an {@code m.notice}
 * with a plain body and an HTML {@code formatted_body}. The transaction id is the envelope id, so a retried send of the
 * same message is deduplicated by the homeserver.
 */
public final class MatrixProvider extends HttpProvider {

    private final String homeserver;
    private final Map<String, String> auth;
    private final Optional<ChannelTemplate> template;
    private final ObjectMapper json = new ObjectMapper();

    public MatrixProvider(MatrixConfig config, Clock clock) {
        super(config.timeout(), Redactor.of(config.accessToken()), clock);
        String hs = config.homeserverUrl().strip();
        this.homeserver = hs.endsWith("/") ? hs.substring(0, hs.length() - 1) : hs;
        this.auth = Map.of("Authorization", "Bearer " + config.accessToken().reveal());
        this.template = ChannelTemplate.load(config.template(), OutputFormat.HTML);
    }

    @Override
    public String name() {
        return "matrix";
    }

    @Override
    public String channel() {
        return "matrix";
    }

    /** The HTML subset Matrix clients render: headings, paragraphs, a table, a list, links. */
    public static String html(Content c) {
        StringBuilder out = new StringBuilder();
        if (c.title() != null && !c.title().isBlank()) {
            out.append("<h4>").append(Escape.html(c.title().strip())).append("</h4>");
        }
        if (c.text() != null && !c.text().isBlank()) {
            for (String paragraph : c.text().strip().split("\\R{2,}")) {
                out.append("<p>")
                        .append(Escape.html(paragraph).replaceAll("\\R", "<br>"))
                        .append("</p>");
            }
        }
        if (!c.facts().isEmpty()) {
            out.append("<table>");
            for (Fact f : c.facts()) {
                out.append("<tr><th>")
                        .append(Escape.html(f.label()))
                        .append("</th><td>")
                        .append(Escape.html(f.value()))
                        .append("</td></tr>");
            }
            out.append("</table>");
        }
        if (!c.hints().isEmpty()) {
            out.append("<p><em>Hints</em></p><ul>");
            c.hints().forEach(h -> out.append("<li>").append(Escape.html(h)).append("</li>"));
            out.append("</ul>");
        }
        if (!c.links().isEmpty()) {
            out.append("<p>");
            for (Link link : c.links()) {
                String url = link.url() == null ? "" : link.url().strip();
                if (url.toLowerCase(Locale.ROOT).startsWith("https://")
                        || url.toLowerCase(Locale.ROOT).startsWith("http://")) {
                    out.append("<a href=\"")
                            .append(Escape.html(url))
                            .append("\">")
                            .append(Escape.html(link.label()))
                            .append("</a><br>");
                } else {
                    out.append(Escape.html(link.label() + ": " + url)).append("<br>");
                }
            }
            out.append("</p>");
        }
        return out.toString();
    }

    public ObjectNode event(Envelope envelope) {
        Content c = envelope.content();
        String plain = ((c.title() == null || c.title().isBlank()
                                ? ""
                                : c.title().strip() + "\n\n")
                        + EmailBody.render(c).text())
                .strip();
        ObjectNode body = json.createObjectNode();
        body.put("msgtype", "m.notice");
        // Legacy push rules (.m.rule.roomnotif, contains_display_name) match "@room" and names in
        // body; the word joiner breaks "@room" for homeservers that still apply them.
        body.put("body", Escape.mentions(plain));
        body.put("format", "org.matrix.custom.html");
        body.put("formatted_body", template.map(t -> t.render(envelope)).orElseGet(() -> html(c)));
        // Intentional mentions (Matrix 1.7, MSC3952): an event that carries m.mentions is exempt
        // from the legacy body-matching rules, and an empty one mentions nobody, not even @room.
        body.putObject("m.mentions");
        return body;
    }

    @Override
    protected Call call(Envelope envelope) {
        String room = envelope.target().strip();
        if (!room.startsWith("!")) {
            // Aliases need a directory lookup and users a direct-message room first; neither is done yet.
            throw new Unsendable("'" + room + "' is not a Matrix room id (!id:server); aliases (#) and users (@)"
                    + " are not supported yet: invite the bot to a room and use the room's id");
        }
        URI uri = URI.create(homeserver + "/_matrix/client/v3/rooms/" + pathSegment(room) + "/send/m.room.message/"
                + pathSegment(envelope.id()));
        return new Call("PUT", uri, event(envelope).toString(), auth);
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        JsonNode body = parse(answer.body());
        if (answer.status() == 200 && body.hasNonNull("event_id")) {
            return new Outcome.Delivered(body.path("event_id").asText());
        }
        String code = body.path("errcode").asText("");
        String why = "Matrix " + answer.status() + (code.isEmpty() ? "" : " " + code)
                + (body.hasNonNull("error") ? ": " + brief(body.path("error").asText()) : "");
        if (answer.status() == 429 || "M_LIMIT_EXCEEDED".equals(code)) {
            return new Outcome.Retry(retryAfter(body, answer), why);
        }
        return switch (answer.status()) {
            case 401 -> new Outcome.ProviderDown(why);
            // M_FORBIDDEN: the bot is not in that room, or may not post there; other rooms still work.
            case 403 -> "M_FORBIDDEN".equals(code) ? new Outcome.Rejected(why) : new Outcome.ProviderDown(why);
            // M_UNRECOGNIZED: the endpoint does not exist, so the homeserver URL is wrong.
            case 404 ->
                "M_UNRECOGNIZED".equals(code) || code.isEmpty()
                        ? new Outcome.ProviderDown(why)
                        : new Outcome.Rejected(why);
            case 400, 413 -> new Outcome.Rejected(why);
            default -> new Outcome.Retry(answer.status() >= 500 ? retryAfterHeader(answer) : Duration.ZERO, why);
        };
    }

    private Duration retryAfter(JsonNode body, HttpJson.Answer answer) {
        JsonNode ms = body.path("retry_after_ms");
        if (ms.canConvertToLong()) {
            return RetryAfter.millis(ms.asLong());
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

    static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
