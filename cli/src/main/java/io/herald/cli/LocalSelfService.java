package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import io.herald.core.config.Secret;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Self-service links ({@code /#/me}) on {@code herald local} without configuring anything: the page's address is the
 * local API's, the signing key is drawn at start (and never printed: {@link Secret} redacts itself), and a user's
 * mailbox is {@code user@localhost}, so the link lands in the outbox. Whatever the configuration sets itself is kept.
 */
final class LocalSelfService {

    /** The mail domain of local users when mailprog.mailDomain is empty. */
    static final String LOCAL_MAIL_DOMAIN = "localhost";

    private static final int SECRET_BYTES = 48;

    private LocalSelfService() {}

    /**
     * @return the configuration with links on, or empty when they cannot be on by default: api.port 0 (the page's
     *     address is known only after listening)
     */
    static Optional<HeraldConfig> withDefaults(HeraldConfig config) {
        HeraldConfig.Api.SelfService self = config.api().selfService();
        HeraldConfig.Api api = config.api();
        if (self.enabled()) {
            return Optional.of(withUnsubscribeSecret(config));
        }
        if (api.port() == 0) {
            return Optional.empty();
        }
        String host = "0.0.0.0".equals(api.host()) || "::".equals(api.host()) ? "127.0.0.1" : api.host();
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + api.port();
        Secret secret = self.linkSecret().isSet() ? self.linkSecret() : Secret.of(randomKey());
        HeraldConfig withLinks = config.withApi(api.withSelfService(new HeraldConfig.Api.SelfService(
                url, secret, self.linksPerHour(), self.linksPerMinute(), self.linkValidity(), self.sessionValidity())));
        MailprogConfig mailprog = config.mailprog();
        if (mailprog.mailDomain() == null || mailprog.mailDomain().isBlank()) {
            withLinks = withLinks.withMailprog(
                    mailprog.toBuilder().mailDomain(LOCAL_MAIL_DOMAIN).build());
        }
        return Optional.of(withUnsubscribeSecret(withLinks));
    }

    /**
     * Unsubscribe links on the same page address: {@code herald local} runs the pipeline that signs them and the API
     * that reads them in one process, so a key drawn at start serves both (and dies with them).
     */
    static HeraldConfig withUnsubscribeSecret(HeraldConfig config) {
        HeraldConfig.Unsubscribe unsubscribe = config.unsubscribe();
        if (config.unsubscribeBaseUrl().isEmpty() || unsubscribe.secret().isSet()) {
            return config;
        }
        return config.withUnsubscribe(new HeraldConfig.Unsubscribe(unsubscribe.publicUrl(), Secret.of(randomKey())));
    }

    private static String randomKey() {
        byte[] key = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
