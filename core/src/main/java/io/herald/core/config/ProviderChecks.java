package io.herald.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Validation of the provider blocks other than the outbox. Kept apart from {@link ConfigValidator}
 * so adding a provider touches its own lines only. A disabled block is checked only for values
 * that are wrong whatever happens (weights, durations); an enabled one must also be able to send.
 * Problems never quote a secret, not even a malformed one: a webhook URL is its credential.
 */
final class ProviderChecks {

    static final Set<String> SMTP_SECURITY = Set.of("starttls", "tls", "none");

    private final BiConsumer<String, String> problem;
    private final Duration sendTimeout;

    /**
     * @param problem      receives key and message of each problem
     * @param sendTimeout  pipeline.sendTimeout, which bounds every provider's own timeout
     */
    ProviderChecks(BiConsumer<String, String> problem, Duration sendTimeout) {
        this.problem = problem;
        this.sendTimeout = sendTimeout;
    }

    void check(HeraldConfig.Providers p) {
        ProviderConfig.Ses ses = p.ses();
        common("ses", ses);
        if (ses.enabled()) {
            text("providers.ses.region", ses.region(), "an AWS region such as eu-west-1");
            if (!ses.endpoint().isBlank()) {
                url("providers.ses.endpoint", ses.endpoint(), false);
            }
            address("providers.ses.from", ses.from());
        }
        ProviderConfig.SendGrid sendgrid = p.sendgrid();
        common("sendgrid", sendgrid);
        if (sendgrid.enabled()) {
            url("providers.sendgrid.baseUrl", sendgrid.baseUrl(), false);
            secret("providers.sendgrid.apiKey", sendgrid.apiKey(), "the API key SendGrid gave you (SG....)");
            address("providers.sendgrid.from", sendgrid.from());
        }
        ProviderConfig.Smtp smtp = p.smtp();
        common("smtp", smtp);
        if (!SMTP_SECURITY.contains(smtp.security().toLowerCase(Locale.ROOT))) {
            problem.accept("providers.smtp.security", "'" + smtp.security() + "' is not one of starttls, tls, none");
        }
        if (smtp.port() < 1 || smtp.port() > 65_535) {
            problem.accept("providers.smtp.port", "must be a TCP port between 1 and 65535, got " + smtp.port());
        }
        if (smtp.enabled()) {
            text("providers.smtp.host", smtp.host(), "the SMTP server's host name");
            address("providers.smtp.from", smtp.from());
            if (!smtp.username().isBlank() && !smtp.password().isSet()) {
                problem.accept("providers.smtp.password", "is empty but providers.smtp.username is set; set the password");
            }
        }
        webhook("msteams", p.msteams(), p.msteams().webhookUrl());
        ProviderConfig.Telegram telegram = p.telegram();
        common("telegram", telegram);
        duration("providers.telegram.chatInterval", telegram.chatInterval(), Duration.ZERO, Duration.ofHours(1));
        if (telegram.enabled()) {
            url("providers.telegram.baseUrl", telegram.baseUrl(), false);
            secret("providers.telegram.botToken", telegram.botToken(), "the token @BotFather gave you");
        }
        webhook("slack", p.slack(), p.slack().webhookUrl());
        webhook("mattermost", p.mattermost(), p.mattermost().webhookUrl());
        webhook("discord", p.discord(), p.discord().webhookUrl());
        ProviderConfig.Matrix matrix = p.matrix();
        common("matrix", matrix);
        if (matrix.enabled()) {
            url("providers.matrix.homeserverUrl", matrix.homeserverUrl(), false);
            secret("providers.matrix.accessToken", matrix.accessToken(), "the bot user's access token");
        }
    }

    private void webhook(String name, ProviderConfig.Block block, Secret url) {
        common(name, block);
        if (block.enabled()) {
            String key = "providers." + name + ".webhookUrl";
            if (!url.isSet()) {
                problem.accept(key, "is empty; set the webhook URL (keep it in the environment variable, it is a credential)");
            } else {
                url(key, url.reveal(), true);
            }
        }
    }

    private void common(String name, ProviderConfig.Block block) {
        String prefix = "providers." + name + ".";
        if (block.weight() < 1 || block.weight() > 1000) {
            problem.accept(prefix + "weight", "must be between 1 and 1000 (a share among the channel's healthy providers), got "
                    + block.weight());
        }
        duration(prefix + "timeout", block.timeout(), Duration.ofMillis(1), Duration.ofHours(1));
        if (block.enabled() && block.timeout() != null && sendTimeout != null && block.timeout().compareTo(sendTimeout) > 0) {
            // The pipeline gives up on a send after pipeline.sendTimeout; a longer provider timeout never fires.
            problem.accept(prefix + "timeout", Durations.format(block.timeout()) + " is longer than pipeline.sendTimeout ("
                    + Durations.format(sendTimeout) + "); make it at most that");
        }
        if (block.rateLimit() < 1 || block.rateLimit() > 100_000) {
            problem.accept(prefix + "rateLimit", "must be between 1 and 100000 requests per ratePeriod, got " + block.rateLimit());
        }
        duration(prefix + "ratePeriod", block.ratePeriod(), Duration.ofMillis(1), Duration.ofHours(24));
        if (block.enabled() && block.template() != null && !block.template().isBlank()
                && !Files.isReadable(Path.of(block.template()))) {
            problem.accept(prefix + "template", "'" + block.template()
                    + "' is not a readable file; give a Pebble template's path, or leave it empty for the built-in rendering");
        }
    }

    private void duration(String key, Duration value, Duration min, Duration max) {
        if (value == null) {
            problem.accept(key, "is missing; write e.g. 5s");
        } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem.accept(key, "must be between " + Durations.format(min) + " and " + Durations.format(max)
                    + ", got " + Durations.format(value));
        }
    }

    private void text(String key, String value, String example) {
        if (value == null || value.isBlank()) {
            problem.accept(key, "must not be empty; use " + example);
        }
    }

    private void address(String key, String value) {
        if (value == null || !value.matches("[^@\\s]+@[^@\\s]+")) {
            problem.accept(key, "'" + value + "' is not an email address such as herald@example.org");
        }
    }

    private void secret(String key, Secret value, String what) {
        if (!value.isSet()) {
            problem.accept(key, "is empty; set " + what + " (prefer the environment variable to the file)");
        }
    }

    /** @param secret whether the URL is a credential and must not be quoted back */
    private void url(String key, String value, boolean secret) {
        String shown = secret ? "the value" : "'" + value + "'";
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problem.accept(key, shown + " is not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            problem.accept(key, shown + " is not a URL");
        }
    }
}
