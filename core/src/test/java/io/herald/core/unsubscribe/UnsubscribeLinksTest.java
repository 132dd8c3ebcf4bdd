package io.herald.core.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.TestEnvelopes;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnsubscribeLinksTest {

    private static final Secret SECRET = Secret.of("s".repeat(48));

    private final UnsubscribeLinks links =
            new UnsubscribeLinks("https://herald.example.org/", new UnsubscribeTokens(SECRET));

    @Test
    void anEmailGetsBothRfc8058HeadersWithALinkForItsReceiverAndCategory() {
        Envelope mail = TestEnvelopes.withText("hello").withCategory("newsletter");

        var headers = links.headers(mail);

        assertThat(List.copyOf(headers.keySet())).containsExactly("List-Unsubscribe", "List-Unsubscribe-Post");
        assertThat(headers.get("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        String value = headers.get("List-Unsubscribe");
        assertThat(value).startsWith("<https://herald.example.org/u/u1.").endsWith(">");
        String token = value.substring("<https://herald.example.org/u/".length(), value.length() - 1);
        assertThat(new UnsubscribeTokens(SECRET).check(token))
                .contains(new UnsubscribeTokens.Unsubscription("bob@example.org", "newsletter"));
    }

    @Test
    void anEmailWithoutCategoryIsOfTheDefaultCategory() {
        String url = links.url(TestEnvelopes.withText("hello")).orElseThrow();

        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(new UnsubscribeTokens(SECRET).check(token).orElseThrow().category())
                .isEqualTo(Categories.DEFAULT);
    }

    @Test
    void transactionalMailOtherChannelsAndAnUnconfiguredLinkGetNoHeaders() {
        Envelope mail = TestEnvelopes.withText("reset your password");

        assertThat(links.headers(mail.withCategory(Envelope.TRANSACTIONAL))).isEmpty();
        assertThat(links.headers(Envelope.create("telegram", "12345", mail.content(), mail.origin(), mail.createdAt())))
                .isEmpty();
        assertThat(UnsubscribeLinks.none().headers(mail)).isEmpty();
        assertThat(UnsubscribeLinks.from(HeraldConfig.defaults()).enabled()).isFalse();
    }

    @Test
    void theConfiguredAddressWinsOverTheSelfServicePagesAndTheSecretIsNeverShown() {
        HeraldConfig config = HeraldConfig.defaults()
                .withUnsubscribe(new HeraldConfig.Unsubscribe("https://mail.example.org/", SECRET));

        UnsubscribeLinks fromConfig = UnsubscribeLinks.from(config);

        assertThat(fromConfig.url(TestEnvelopes.withText("x")).orElseThrow()).startsWith("https://mail.example.org/u/");
        assertThat(fromConfig.toString()).doesNotContain(SECRET.reveal());
        HeraldConfig viaSelfService = HeraldConfig.defaults()
                .withApi(HeraldConfig.defaults()
                        .api()
                        .withSelfService(new HeraldConfig.Api.SelfService(
                                "https://page.example.org",
                                Secret.none(),
                                5,
                                30,
                                java.time.Duration.ofMinutes(15),
                                java.time.Duration.ofHours(1))))
                .withUnsubscribe(new HeraldConfig.Unsubscribe("", SECRET));
        assertThat(UnsubscribeLinks.from(viaSelfService)
                        .url(TestEnvelopes.withText("x"))
                        .orElseThrow())
                .startsWith("https://page.example.org/u/");
    }

    @Test
    void categoryNamesAreShortPlainTokensAndSlurmClustersGetOneEach() {
        assertThat(Categories.problem("newsletter")).isNull();
        assertThat(Categories.problem("slurm:hpc-1.a_b")).isNull();
        assertThat(Categories.problem("")).contains("must not be empty");
        assertThat(Categories.problem("a b")).contains("only letters, digits");
        assertThat(Categories.problem("<script>")).contains("only letters, digits");
        assertThat(Categories.problem("x".repeat(65))).contains("at most 64");
        assertThat(Categories.slurm("HPC1")).isEqualTo("slurm:hpc1");
        assertThat(Categories.slurm("my cluster/α")).isEqualTo("slurm:my-cluster-");
        assertThat(Categories.problem(Categories.slurm("x".repeat(200)))).isNull();
        assertThat(Categories.slurm(null)).isEqualTo("slurm:cluster");
    }
}
