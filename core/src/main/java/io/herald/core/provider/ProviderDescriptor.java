package io.herald.core.provider;

import io.herald.core.config.Secret;
import io.herald.core.feedback.FeedbackWebhook;
import io.herald.core.receiver.TargetRule;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A provider as configuration, receivers and the API know it, without the code that sends: its name, its channel, the
 * receiver scheme users write and the rule its targets meet, its configuration block (a record bound by Jackson from
 * {@code providers.<name>}) with defaults and checks, and its secrets. Found with {@link java.util.ServiceLoader} (one
 * line in {@code META-INF/services/io.herald.core.provider.ProviderDescriptor}), so no list of providers is written
 * anywhere else; the pipeline pairs each with the factory that builds its sender.
 *
 * @param <C> the configuration block's record type
 */
public interface ProviderDescriptor<C extends Record & ProviderSettings> {

    /** The provider's name: its config block, metrics, pauses and status, e.g. {@code telegram}. */
    String name();

    /** The channel it delivers on; several providers may share one (email). */
    String channel();

    /** The word receivers write before ':' for this channel, e.g. {@code mailto}. */
    String scheme();

    /** What a target of {@link #scheme()} must look like. */
    TargetRule targetRule();

    /** The record {@code providers.<name>} binds to. */
    Class<C> configType();

    /** The block as it is when nothing configures it: disabled, pointing at the documented endpoint. */
    C defaults();

    /**
     * Adds the provider's own problems (beyond the common keys every block has) to {@code checks}. A disabled block is
     * checked only for values that are wrong whatever happens.
     */
    default void validate(C config, BlockChecks checks) {}

    /** The names of the block's secret keys, e.g. {@code botToken}: every {@link Secret} component. */
    default List<String> secretKeys() {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : configType().getRecordComponents()) {
            if (component.getType() == Secret.class) {
                keys.add(component.getName());
            }
        }
        return List.copyOf(keys);
    }

    /** The block's secrets, for redaction: every {@link Secret} component's value. */
    default List<Secret> secrets(C config) {
        List<Secret> secrets = new ArrayList<>();
        for (RecordComponent component : configType().getRecordComponents()) {
            if (component.getType() == Secret.class) {
                try {
                    secrets.add((Secret) component.getAccessor().invoke(config));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + name() + "." + component.getName(), e);
                }
            }
        }
        return List.copyOf(secrets);
    }

    /**
     * Forms a secret takes on the wire besides its own value, e.g. SMTP's {@code user:password} that AUTH sends
     * base64-encoded; redaction masks them too.
     */
    default List<String> loginForms(C config) {
        return List.of();
    }

    /**
     * For {@code ./herald local --demo}: how this provider's API answers, so a stand-in on loopback can play it; empty
     * when the provider offers none.
     */
    default Optional<DemoStandIn<C>> demoStandIn() {
        return Optional.empty();
    }

    /**
     * A directory on this machine the provider delivers into (one file per message), for {@code ./herald local}'s
     * banner; empty when it sends elsewhere.
     */
    default Optional<Path> localDirectory(C config) {
        return Optional.empty();
    }

    /**
     * The block's keys that name the AWS region its API is called in: on AWS the stack sets them to the deployment's
     * own region (where it creates the provider's resources).
     */
    default List<String> awsRegionKeys() {
        return List.of();
    }

    /**
     * The webhook the provider reports what became of sent mail through (bounces, complaints), served at {@code POST
     * /v1/feedback/<name>}; empty when the provider has none. Offered whatever the block's settings: the webhook itself
     * says whether they switch it on ({@link FeedbackWebhook#enabled()}).
     */
    default Optional<FeedbackWebhook> feedbackWebhook(C config) {
        return Optional.empty();
    }

    /** {@link #feedbackWebhook} of {@code settings}, this provider's block; for callers that hold every block. */
    default Optional<FeedbackWebhook> feedbackWebhookOf(ProviderSettings settings) {
        return feedbackWebhook(cast(settings));
    }

    /** {@code settings} (this provider's block) switched on or off, every other key kept. */
    default C withEnabled(ProviderSettings settings, boolean enabled) {
        C config = cast(settings);
        RecordComponent[] components = configType().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getName().equals("enabled")
                        ? enabled
                        : components[i].getAccessor().invoke(config);
            }
            return configType().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy the block of " + name(), e);
        }
    }

    /** {@code settings} as this provider's block; for callers that hold blocks of every provider. */
    default C cast(ProviderSettings settings) {
        return configType().cast(settings);
    }
}
