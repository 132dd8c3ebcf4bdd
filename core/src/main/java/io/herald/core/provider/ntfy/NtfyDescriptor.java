package io.herald.core.provider.ntfy;

import io.herald.core.provider.BlockChecks;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.receiver.TargetRule;
import java.util.List;

/** ntfy push notifications: the receiver {@code ntfy:<topic>} publishes to that topic. */
public final class NtfyDescriptor implements ProviderDescriptor<NtfyConfig> {

    /** ntfy's own rule for topic names. */
    private static final TargetRule TOPIC =
            TargetRule.matching("[-_A-Za-z0-9]{1,64}", "not an ntfy topic (1 to 64 letters, digits, '-' or '_')");

    @Override
    public String name() {
        return "ntfy";
    }

    @Override
    public String channel() {
        return "ntfy";
    }

    @Override
    public String scheme() {
        return "ntfy";
    }

    @Override
    public TargetRule targetRule() {
        return TOPIC;
    }

    @Override
    public Class<NtfyConfig> configType() {
        return NtfyConfig.class;
    }

    @Override
    public NtfyConfig defaults() {
        return NtfyConfig.defaults();
    }

    @Override
    public void validate(NtfyConfig config, BlockChecks checks) {
        for (String tag : config.tags()) {
            if (tag == null || tag.isBlank() || tag.contains(",") || tag.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
                checks.problem("tags", "'" + tag + "' is not a tag; use words or emoji short codes such as warning");
            }
        }
        if (!config.enabled()) {
            return;
        }
        checks.url("serverUrl", config.serverUrl(), false);
        if (config.accessToken().isSet() && !config.username().isBlank()) {
            checks.problem(
                    "username",
                    "is set together with " + checks.key("accessToken")
                            + "; use one of them (the token, or a user with its password)");
        } else if (!config.username().isBlank() && !config.password().isSet()) {
            checks.problem("password", "is empty but " + checks.key("username") + " is set; set the password");
        }
    }

    /** Basic authentication sends {@code user:password} base64-encoded: mask that too. */
    @Override
    public List<String> loginForms(NtfyConfig config) {
        if (config.username().isBlank() || !config.password().isSet()) {
            return List.of();
        }
        return List.of(config.username() + ":" + config.password().reveal());
    }
}
