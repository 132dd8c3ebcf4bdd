package io.herald.pipeline.provider.ntfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.provider.ntfy.NtfyConfig;
import io.herald.core.provider.ntfy.NtfyDescriptor;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.Escape;
import io.herald.pipeline.provider.render.OutputFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes to an ntfy topic: {@code POST <serverUrl>/<topic>} with the message as Markdown in the body and the rest in
 * headers ({@code Title}, {@code Priority}, {@code Tags}, {@code Click}, {@code Markdown: yes}), authenticated with a
 * bearer access token or basic authentication.
 *
 * <p>Caller text is Markdown-escaped ({@link Escape#markdown}); ntfy has no mentions. The title is a header, so it
 * loses line breaks and, when it is not ASCII, travels RFC 2047-encoded (ntfy decodes {@code =?UTF-8?B?...?=}). The
 * body is cut below ntfy's default message limit of 4096 bytes: a longer one would be turned into an attachment or
 * refused.
 */
public final class NtfyProvider extends HttpProvider {

    /** ntfy's default {@code message-size-limit}. */
    static final int MAX_MESSAGE_BYTES = 4096;

    static final String TRUNCATED = "\n\n… (truncated)";
    private static final int MAX_TITLE_CHARS = 250;

    private final String name = new NtfyDescriptor().name();
    private final URI server;
    private final Map<String, String> fixedHeaders;
    private final boolean credentials;
    private final Optional<ChannelTemplate> template;
    private final ObjectMapper json = new ObjectMapper();

    public NtfyProvider(NtfyConfig config, Clock clock) {
        super(config.timeout(), redactor(config), clock);
        String base = config.serverUrl().strip();
        this.server = URI.create(base.endsWith("/") ? base : base + "/");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/markdown; charset=utf-8");
        headers.put("Markdown", "yes");
        headers.put("Priority", Integer.toString(config.priority()));
        if (!config.tags().isEmpty()) {
            headers.put("Tags", String.join(",", config.tags()));
        }
        if (config.accessToken().isSet()) {
            headers.put(
                    "Authorization", "Bearer " + config.accessToken().reveal().strip());
        } else if (!config.username().isBlank()) {
            String login = config.username() + ":" + config.password().reveal();
            headers.put(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
        }
        this.fixedHeaders = Map.copyOf(headers);
        this.credentials = headers.containsKey("Authorization");
        this.template = ChannelTemplate.load(config.template(), OutputFormat.MARKDOWN);
    }

    private static Redactor redactor(NtfyConfig config) {
        return Redactor.of(new NtfyDescriptor().loginForms(config), config.accessToken(), config.password());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String channel() {
        return name;
    }

    @Override
    protected Call call(Envelope envelope) {
        String topic = envelope.target();
        if (new NtfyDescriptor().targetRule().check(topic).isPresent()) {
            throw new Unsendable("'" + redactor.brief(topic, 64) + "' is not an ntfy topic");
        }
        Map<String, String> headers = new LinkedHashMap<>(fixedHeaders);
        Content c = envelope.content();
        if (c.title() != null && !c.title().isBlank()) {
            headers.put("Title", headerText(c.title()));
        }
        // A header carries ASCII only; a link with other characters stays in the body.
        c.links().stream()
                .map(Link::url)
                .filter(NtfyProvider::isWebLink)
                .filter(url -> url.strip().chars().allMatch(ch -> ch > 0x20 && ch < 0x7F))
                .findFirst()
                .ifPresent(url -> headers.put("Click", url.strip()));
        return new Call("POST", server.resolve(topic), message(envelope), headers);
    }

    /** The body: the text, the facts as bold labels, hints, and links, all caller text escaped. */
    String message(Envelope envelope) {
        String text = template.map(t -> t.render(envelope)).orElseGet(() -> {
            Content c = envelope.content();
            StringBuilder out = new StringBuilder();
            if (c.text() != null && !c.text().isBlank()) {
                out.append(Escape.markdown(c.text().strip())).append("\n\n");
            }
            for (Fact f : c.facts()) {
                out.append("**")
                        .append(Escape.markdown(f.label()))
                        .append(":** ")
                        .append(Escape.markdown(f.value()))
                        .append("  \n");
            }
            for (String hint : c.hints()) {
                out.append("\n💡 ").append(Escape.markdown(hint));
            }
            for (Link link : c.links()) {
                out.append("\n")
                        .append(
                                isWebLink(link.url()) && link.url().indexOf(')') < 0
                                        ? "[" + Escape.markdown(link.label()) + "]("
                                                + link.url().strip() + ")"
                                        : Escape.markdown(link.label() + ": " + link.url()));
            }
            return out.toString().strip();
        });
        return cut(text.isBlank() ? "(no text)" : text);
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        String body = answer.body().strip();
        if (answer.is2xx()) {
            return new Outcome.Delivered(field(body, "id").orElse("ok"));
        }
        String why = "ntfy " + answer.status()
                + field(body, "error").map(e -> ": " + brief(e)).orElse(body.isEmpty() ? "" : ": " + brief(body));
        return switch (answer.status()) {
            case 429 -> new Outcome.Retry(retryAfterHeader(answer), why);
            // With credentials configured, 401 means they are wrong for every topic: the provider is down.
            // Without, the server wants a login for this topic only; 403 is an ACL refusing this topic.
            case 401 -> credentials ? new Outcome.ProviderDown(why) : new Outcome.Rejected(why);
            case 403, 400, 413 -> new Outcome.Rejected(why);
            // A valid topic is never 404: the server URL points somewhere that is not ntfy.
            case 404 -> new Outcome.ProviderDown(why);
            default -> new Outcome.Retry(answer.status() >= 500 ? retryAfterHeader(answer) : Duration.ZERO, why);
        };
    }

    private Optional<String> field(String body, String name) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.path(name).isTextual()
                    ? Optional.of(node.path(name).asText())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One header line: no line breaks or controls; RFC 2047 when not ASCII. */
    static String headerText(String text) {
        String line = text.strip().replaceAll("\\p{Cntrl}+", " ");
        if (line.length() > MAX_TITLE_CHARS) {
            line = line.substring(
                            0,
                            Character.isHighSurrogate(line.charAt(MAX_TITLE_CHARS - 1))
                                    ? MAX_TITLE_CHARS - 1
                                    : MAX_TITLE_CHARS)
                    + "…";
        }
        boolean ascii = line.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        return ascii
                ? line
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** Cuts to {@link #MAX_MESSAGE_BYTES} of UTF-8 without splitting a character, marking the cut. */
    static String cut(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
            return text;
        }
        int budget = MAX_MESSAGE_BYTES - TRUNCATED.getBytes(StandardCharsets.UTF_8).length;
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end) + TRUNCATED;
    }

    private static boolean isWebLink(String url) {
        String u = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("https://") || u.startsWith("http://");
    }
}
