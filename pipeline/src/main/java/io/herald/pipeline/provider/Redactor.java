package io.herald.pipeline.provider;

import io.herald.core.config.Secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Removes a provider's secrets from any text on its way to a log, an exception or an
 * {@link Outcome} reason. Providers build their reasons themselves and never quote a URL that holds
 * a credential; this is the second line: a library's error message may echo a request line.
 */
public final class Redactor {

    static final String MASK = "(redacted)";

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** @param secrets the values to hide; unset ones are ignored */
    public static Redactor of(Secret... secrets) {
        List<String> values = new ArrayList<>();
        for (Secret secret : secrets) {
            Objects.requireNonNull(secret, "secret");
            if (secret.isSet()) {
                values.add(secret.reveal());
                values.addAll(urlParts(secret.reveal()));
            }
        }
        // The longest first, so a secret containing another is masked whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(values));
    }

    /**
     * For a webhook URL the credential is its path (and query): an answer may echo just that, or a
     * single long segment of it (Discord's token, Slack's key), so those are hidden too.
     */
    private static List<String> urlParts(String value) {
        List<String> parts = new ArrayList<>();
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || uri.getRawPath() == null) {
                return parts;
            }
            String path = uri.getRawPath();
            if (path.length() >= 8) {
                parts.add(path);
            }
            if (uri.getRawQuery() != null && uri.getRawQuery().length() >= 8) {
                parts.add(uri.getRawQuery());
            }
            for (String segment : path.split("/")) {
                if (segment.length() >= 12) {
                    parts.add(segment);
                }
            }
        } catch (URISyntaxException e) {
            // Not a URL: the whole value is masked, which is all there is.
        }
        return parts;
    }

    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /** A provider's answer or error text, redacted and cut short enough for a log line or a status. */
    public String brief(String text, int maxChars) {
        String flat = redact(text).replaceAll("\\s+", " ").strip();
        return flat.length() <= maxChars ? flat : flat.substring(0, maxChars) + "…";
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secret(s)]";
    }
}
