package io.herald.api;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.TargetRule;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/channels}: the channels Herald has, with their providers, and the receiver schemes this API accepts
 * with the rule each target must meet, so a client (the web page) validates receivers as the server does without a list
 * of its own. Public, like {@code /openapi.json}: it says what Herald can do, nothing about what it holds.
 */
final class ChannelsHandler implements Handler {

    /** One channel and the providers that deliver on it. */
    record Channel(String channel, List<String> providers) {}

    /**
     * How a client checks a target.
     *
     * @param kind {@code any} (no whitespace or control characters), {@code email} or {@code pattern}
     * @param pattern for {@code pattern}: a regular expression the whole target must match
     * @param problem for {@code pattern}: what to say of a target that does not
     */
    record Target(String kind, String pattern, String problem) {}

    record Scheme(String scheme, String channel, Target target) {}

    record Channels(String defaultScheme, List<Channel> channels, List<Scheme> schemes) {}

    private final ApiJson json;
    private final Channels answer;

    ChannelsHandler(ApiJson json, ReceiverParser receivers, ProviderRegistry registry) {
        this.json = json;
        Map<String, List<String>> providers = new LinkedHashMap<>();
        for (ProviderDescriptor<?> d : registry.all()) {
            providers.computeIfAbsent(d.channel(), c -> new ArrayList<>()).add(d.name());
        }
        List<Channel> channels = providers.entrySet().stream()
                .map(e -> new Channel(e.getKey(), List.copyOf(e.getValue())))
                .toList();
        List<Scheme> schemes = receivers.schemes().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> new Scheme(
                        e.getKey(), e.getValue().channel(), target(e.getValue().rule())))
                .toList();
        this.answer = new Channels(receivers.defaultScheme(), channels, schemes);
    }

    private static Target target(TargetRule rule) {
        return "pattern".equals(rule.kind())
                ? new Target("pattern", rule.pattern(), rule.problem())
                : new Target(rule.kind(), null, null);
    }

    @Override
    public void handle(Context ctx) {
        json.reply(ctx, HttpStatus.OK.getCode(), answer);
    }
}
