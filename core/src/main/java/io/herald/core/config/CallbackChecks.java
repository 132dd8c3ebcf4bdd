package io.herald.core.config;

import io.herald.core.callback.CallbackTargets;
import io.herald.core.callback.WebhookSigner;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** The rules of the {@code callbacks} section; a callback URL is never repeated in a problem, only its host. */
final class CallbackChecks {

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** More retries than this would outlive SQS's 14 days of retention at the longest waits. */
    static final int MAX_RETRIES = 20;

    private final BiConsumer<String, String> problem;

    CallbackChecks(BiConsumer<String, String> problem) {
        this.problem = problem;
    }

    void check(HeraldConfig.Callbacks callbacks, HeraldConfig.Api api, HeraldConfig.Sqs sqs) {
        if (callbacks.secret().isSet()) {
            WebhookSigner.problem(callbacks.secret()).ifPresent(p -> problem.accept("callbacks.secret", p));
        }
        String queue = callbacks.queue();
        if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
            problem.accept(
                    "callbacks.queue",
                    "'" + queue + "' is not a valid SQS queue name (1–80 letters, digits, '-' or '_')");
        } else if (sqs.queues() != null && sqs.queues().contains(queue)) {
            problem.accept(
                    "callbacks.queue", "'" + queue + "' is one of sqs.queues; callbacks need a queue of their own");
        }
        if (callbacks.retrySchedule().size() > MAX_RETRIES) {
            problem.accept(
                    "callbacks.retrySchedule",
                    "has " + callbacks.retrySchedule().size() + " waits; at most " + MAX_RETRIES);
        }
        for (Duration wait : callbacks.retrySchedule()) {
            if (wait == null
                    || wait.compareTo(Duration.ofSeconds(1)) < 0
                    || wait.compareTo(HeraldConfig.Callbacks.MAX_RETRY_WAIT) > 0) {
                problem.accept(
                        "callbacks.retrySchedule",
                        "'" + wait + "' must be between 1s and 12h (SQS's longest visibility timeout)");
            }
        }
        Set<String> keyNames = new HashSet<>();
        for (String key : api.keys()) {
            if (ApiKeyEntry.parse(key) instanceof ApiKeyEntry.Parsed.Valid valid) {
                keyNames.add(valid.entry().name());
            }
        }
        for (String entry : callbacks.keyDefaults()) {
            if (entry == null || entry.indexOf('=') <= 0) {
                problem.accept("callbacks.keyDefaults", "an entry is not NAME=URL (an API key's name, '=', its URL)");
            }
        }
        callbacks.defaultUrls().forEach((name, url) -> {
            CallbackTargets.syntaxProblem(url)
                    .ifPresent(p -> problem.accept(
                            "callbacks.keyDefaults",
                            "the URL of key '" + name + "' (" + CallbackTargets.shown(url) + ") " + p));
            if (!keyNames.contains(name)) {
                problem.accept("callbacks.keyDefaults", "'" + name + "' is not the name of a key in api.keys");
            }
        });
    }
}
