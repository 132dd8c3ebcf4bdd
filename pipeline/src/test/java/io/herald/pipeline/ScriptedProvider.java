package io.herald.pipeline;

import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process provider whose answers a test scripts: the {@link Provider} interface is the seam between the pipeline
 * and the HTTP providers, which have their own tests against fakes of the real APIs. It records every attempt and the
 * most sends it saw at once.
 */
final class ScriptedProvider implements Provider {

    private final String name;
    private volatile Function<Envelope, Outcome> script;
    final AtomicInteger attempts = new AtomicInteger();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();

    ScriptedProvider(String name, Function<Envelope, Outcome> script) {
        this.name = name;
        this.script = script;
    }

    void answer(Function<Envelope, Outcome> newScript) {
        this.script = newScript;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public Outcome send(Envelope envelope) {
        attempts.incrementAndGet();
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            Outcome outcome = script.apply(envelope);
            if (outcome instanceof Outcome.Delivered) {
                delivered.add(envelope.id());
            }
            return outcome;
        } finally {
            concurrent.decrementAndGet();
        }
    }
}
