package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code herald local}'s self-service defaults: on with nothing configured, never overriding what is. */
class LocalSelfServiceTest {

    @Test
    void linksAreOnByDefaultWithTheLocalApiAddressARandomUnprintedKeyAndLocalMailboxes() {
        HeraldConfig on = LocalSelfService.withDefaults(HeraldConfig.defaults()).orElseThrow();
        HeraldConfig again =
                LocalSelfService.withDefaults(HeraldConfig.defaults()).orElseThrow();

        HeraldConfig.Api.SelfService self = on.api().selfService();
        assertThat(self.enabled()).isTrue();
        assertThat(self.publicUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(self.linkSecret().reveal())
                .as("long enough for the validator")
                .hasSizeGreaterThanOrEqualTo(32);
        assertThat(self.linkSecret())
                .as("drawn at each start")
                .isNotEqualTo(again.api().selfService().linkSecret());
        assertThat(self.toString()).doesNotContain(self.linkSecret().reveal());
        assertThat(on.mailprog().mailDomain()).isEqualTo(LocalSelfService.LOCAL_MAIL_DOMAIN);
    }

    @Test
    void whatTheConfigurationSetsIsKeptAndARandomPortLeavesLinksOff() {
        HeraldConfig d = HeraldConfig.defaults();
        Secret own = Secret.of("an-operator-chosen-secret-of-enough-length");
        HeraldConfig configured = d.withApi(d.api()
                        .withSelfService(new HeraldConfig.Api.SelfService(
                                "", own, 3, 7, Duration.ofMinutes(5), Duration.ofHours(2))))
                .withMailprog(d.mailprog().toBuilder()
                        .mailDomain("cluster.example.org")
                        .build());

        HeraldConfig kept = LocalSelfService.withDefaults(configured).orElseThrow();

        assertThat(kept.api().selfService().linkSecret()).isEqualTo(own);
        assertThat(kept.api().selfService().linksPerMinute()).isEqualTo(7);
        assertThat(kept.mailprog().mailDomain()).isEqualTo("cluster.example.org");

        HeraldConfig.Api api = d.api();
        HeraldConfig randomPort = d.withApi(new HeraldConfig.Api(
                api.host(),
                0,
                api.maxBodyBytes(),
                api.idempotencyWindow(),
                api.batchWait(),
                api.open(),
                api.keys(),
                api.maxReceiversPerRequest(),
                api.idleTimeout(),
                api.minRequestDataRate(),
                api.selfService()));
        assertThat(LocalSelfService.withDefaults(randomPort)).isEmpty();
    }
}
