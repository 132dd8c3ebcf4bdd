package io.herald.core.provider.smtp;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An SMTP submission server. */
public final class SmtpDescriptor implements ProviderDescriptor<SmtpConfig> {

    /** The values of {@code providers.smtp.security}. */
    public static final Set<String> SECURITY = Set.of("starttls", "tls", "none");

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public String scheme() {
        return "mailto";
    }

    @Override
    public TargetRule targetRule() {
        return TargetRule.EMAIL;
    }

    @Override
    public Class<SmtpConfig> configType() {
        return SmtpConfig.class;
    }

    @Override
    public SmtpConfig defaults() {
        return SmtpConfig.defaults();
    }

    @Override
    public void validate(SmtpConfig config, BlockChecks checks) {
        if (!SECURITY.contains(config.security().toLowerCase(Locale.ROOT))) {
            checks.problem("security", "'" + config.security() + "' is not one of starttls, tls, none");
        }
        if (config.port() < 1 || config.port() > 65_535) {
            checks.problem("port", "must be a TCP port between 1 and 65535, got " + config.port());
        }
        if (config.enabled()) {
            checks.text("host", config.host(), "the SMTP server's host name");
            checks.address("from", config.from());
            if (!config.username().isBlank() && !config.password().isSet()) {
                checks.problem("password", "is empty but " + checks.key("username") + " is set; set the password");
            }
        }
    }

    /** AUTH sends {@code user:password} (LOGIN, base64) and {@code \0user\0password} (PLAIN): mask those too. */
    @Override
    public List<String> loginForms(SmtpConfig config) {
        if (config.username().isBlank() || !config.password().isSet()) {
            return List.of();
        }
        String password = config.password().reveal();
        return List.of(config.username() + ":" + password, "\0" + config.username() + "\0" + password);
    }
}
