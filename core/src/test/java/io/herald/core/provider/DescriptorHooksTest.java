package io.herald.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The descriptor's hooks that let code outside a provider's package work with any provider: switching a block off, the
 * chaos demo's stand-in, the directory local mode writes into. Checked for every installed provider, so a new one that
 * offers them is covered too.
 */
class DescriptorHooksTest {

    private final ProviderRegistry registry = ProviderRegistry.installed();

    @Test
    void withEnabledFlipsOnlyEnabled() {
        for (ProviderDescriptor<?> provider : registry.all()) {
            ProviderSettings defaults = provider.defaults();
            ProviderSettings on = provider.withEnabled(defaults, true);
            assertThat(on.enabled()).as(provider.name()).isTrue();
            assertThat(provider.withEnabled(on, defaults.enabled()))
                    .as(provider.name() + ": nothing but enabled changed")
                    .isEqualTo(defaults);
        }
    }

    @Test
    void aDemoBlockIsEnabledValidAndPointsAtItsStandIn() {
        URI standIn = URI.create("http://127.0.0.1:4711");
        DemoStandIn.Target target =
                new DemoStandIn.Target(standIn, Duration.ofSeconds(2), 1000, Duration.ofSeconds(1), "demo@example.org");
        List<String> offering = new ArrayList<>();
        for (ProviderDescriptor<?> provider : registry.all()) {
            provider.demoStandIn().ifPresent(api -> {
                offering.add(provider.name());
                ProviderSettings block = api.pointedAt(provider.defaults(), target);
                assertThat(block.enabled()).as(provider.name()).isTrue();
                assertThat(block.toString()).as(provider.name()).contains(standIn.toString());
                assertThat(problems(provider, block)).as(provider.name()).isEmpty();
                assertThat(api.sendPath()).startsWith("/");
                assertThat(api.accepted().status()).as("accepted").isBetween(200, 299);
                assertThat(api.broken().status())
                        .as("broken is the provider's own fault")
                        .isBetween(500, 599);
            });
        }
        assertThat(offering).as("the chaos demo needs at least two stand-ins").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void anAcceptedAnswerCarriesAFreshMessageId() {
        DemoStandIn.Answer answer = new DemoStandIn.Answer(202, Map.of("X-Id", "{id}"), "{\"id\":\"{id}\"}");
        DemoStandIn.Answer filled = answer.forMessage("m-1");
        assertThat(filled.headers()).containsEntry("X-Id", "m-1");
        assertThat(filled.body()).isEqualTo("{\"id\":\"m-1\"}");
    }

    private static <C extends Record & ProviderSettings> List<String> problems(
            ProviderDescriptor<C> provider, ProviderSettings block) {
        List<String> problems = new ArrayList<>();
        provider.validate(
                provider.cast(block), new BlockChecks(provider.name(), (key, message) -> problems.add(key + message)));
        return problems;
    }
}
