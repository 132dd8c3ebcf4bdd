package io.herald.core.unsubscribe;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Envelope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place an email's unsubscribe link is made (RFC 8058): {@code List-Unsubscribe: <https://.../u/TOKEN>} and
 * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} for every email that is not
 * {@linkplain Envelope#TRANSACTIONAL transactional}; the email providers only add the two headers they are given.
 * Without a public address (or without a secret) there are no links.
 */
public final class UnsubscribeLinks {

    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    /** The one value RFC 8058 allows in List-Unsubscribe-Post, and the body a mail client POSTs. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    /** Where the API answers a link: {@code /u/{token}}. */
    public static final String PATH = "/u/";

    private static final UnsubscribeLinks NONE = new UnsubscribeLinks("", null);

    private final String baseUrl;
    private final UnsubscribeTokens tokens;

    /**
     * @param baseUrl the API's public address, e.g. {@code https://herald.example.org}; empty: no links
     * @param tokens what signs the links; null: no links
     */
    public UnsubscribeLinks(String baseUrl, UnsubscribeTokens tokens) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").strip().replaceAll("/+$", "");
        this.tokens = tokens;
    }

    /** No links at all (tests, and configurations without a public address). */
    public static UnsubscribeLinks none() {
        return NONE;
    }

    /** Links to {@link HeraldConfig#unsubscribeBaseUrl()} signed with {@code unsubscribe.secret}; none when unset. */
    public static UnsubscribeLinks from(HeraldConfig config) {
        String base = config.unsubscribeBaseUrl();
        // Validation refuses a public address without a secret; a configuration built in code may still lack one.
        if (base.isEmpty() || config.unsubscribe().secret().reveal().length() < UnsubscribeTokens.MIN_SECRET_CHARS) {
            return NONE;
        }
        return new UnsubscribeLinks(
                base, new UnsubscribeTokens(config.unsubscribe().secret()));
    }

    public boolean enabled() {
        return tokens != null && !baseUrl.isEmpty();
    }

    /**
     * The link that stops mail of this envelope's category to its receiver; empty for transactional mail or when off.
     */
    public Optional<String> url(Envelope envelope) {
        if (!enabled() || Envelope.TRANSACTIONAL.equals(envelope.category()) || !"email".equals(envelope.channel())) {
            return Optional.empty();
        }
        return Optional.of(baseUrl + PATH + tokens.issue(envelope.target(), Categories.of(envelope)));
    }

    /** The two headers, in order, for an email; empty when it gets no link. */
    public Map<String, String> headers(Envelope envelope) {
        return url(envelope)
                .map(url -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put(LIST_UNSUBSCRIBE, "<" + url + ">");
                    headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
                    return headers;
                })
                .orElseGet(Map::of);
    }

    @Override
    public String toString() {
        return enabled() ? "UnsubscribeLinks[" + baseUrl + "]" : "UnsubscribeLinks[off]";
    }
}
