package io.herald.core.provider;

import io.herald.core.config.Durations;
import io.herald.core.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The checks a provider's descriptor runs on its block, each reporting under the block's own key
 * ({@code providers.<name>.<field>}); the configuration loader adds the environment variable. Problems never quote a
 * secret, not even a malformed one: a webhook URL is its credential.
 */
public final class BlockChecks {

    private final String prefix;
    private final BiConsumer<String, String> problem;

    /**
     * @param provider the provider's name, e.g. {@code telegram}
     * @param problem receives key and message of each problem
     */
    public BlockChecks(String provider, BiConsumer<String, String> problem) {
        this.prefix = "providers." + provider + ".";
        this.problem = problem;
    }

    /** The full key of one of the block's fields, e.g. {@code providers.smtp.password}. */
    public String key(String field) {
        return prefix + field;
    }

    public void problem(String field, String message) {
        problem.accept(key(field), message);
    }

    public void text(String field, String value, String example) {
        if (value == null || value.isBlank()) {
            problem(field, "must not be empty; use " + example);
        }
    }

    public void address(String field, String value) {
        if (value == null || !value.matches("[^@\\s]+@[^@\\s]+")) {
            problem(field, "'" + value + "' is not an email address such as herald@example.org");
        }
    }

    public void secret(String field, Secret value, String what) {
        if (!value.isSet()) {
            problem(field, "is empty; set " + what + " (prefer the environment variable to the file)");
        }
    }

    public void duration(String field, Duration value, Duration min, Duration max) {
        if (value == null) {
            problem(field, "is missing; write e.g. 5s");
        } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem(
                    field,
                    "must be between " + Durations.format(min) + " and " + Durations.format(max) + ", got "
                            + Durations.format(value));
        }
    }

    /** A webhook URL: its path is the credential, so it must be set and is never quoted back. */
    public void webhookUrl(String field, Secret url) {
        if (!url.isSet()) {
            problem(field, "is empty; set the webhook URL (keep it in the environment variable, it is a credential)");
        } else {
            url(field, url.reveal(), true);
        }
    }

    /** @param secret whether the URL is a credential and must not be quoted back */
    public void url(String field, String value, boolean secret) {
        String shown = secret ? "the value" : "'" + value + "'";
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problem(field, shown + " is not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            problem(field, shown + " is not a URL");
        }
    }
}
