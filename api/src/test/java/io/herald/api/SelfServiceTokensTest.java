package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The signed strings of self-service: what a token says is believed only under our signature, for its kind. */
class SelfServiceTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final SelfServiceTokens tokens =
            new SelfServiceTokens(Secret.of("k".repeat(40)), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenNamesItsUserUntilItExpires() {
        String link = tokens.issue(SelfServiceTokens.LINK, "alice@UNI.ORG", Duration.ofMinutes(15));

        assertThat(tokens.check(SelfServiceTokens.LINK, link))
                .isInstanceOfSatisfying(SelfServiceTokens.Check.Valid.class, v -> {
                    assertThat(v.user()).isEqualTo("alice@UNI.ORG");
                    assertThat(v.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
                });
        SelfServiceTokens later = new SelfServiceTokens(
                Secret.of("k".repeat(40)), Clock.fixed(NOW.plus(Duration.ofMinutes(15)), ZoneOffset.UTC));
        assertThat(later.check(SelfServiceTokens.LINK, link)).isInstanceOf(SelfServiceTokens.Check.Expired.class);
    }

    @Test
    void aSessionCannotPassForALinkNorALinkForASession() {
        String link = tokens.issue(SelfServiceTokens.LINK, "alice", Duration.ofMinutes(15));
        String session = tokens.issue(SelfServiceTokens.SESSION, "alice", Duration.ofHours(1));

        assertThat(tokens.check(SelfServiceTokens.SESSION, link)).isInstanceOf(SelfServiceTokens.Check.Forged.class);
        assertThat(tokens.check(SelfServiceTokens.LINK, session)).isInstanceOf(SelfServiceTokens.Check.Forged.class);
        String relabelled = "l" + session.substring(1);
        assertThat(tokens.check(SelfServiceTokens.LINK, relabelled))
                .as("the kind is signed too")
                .isInstanceOf(SelfServiceTokens.Check.Forged.class);
    }

    @Test
    void anotherSecretsTokensAndMangledOnesAreForged() {
        SelfServiceTokens other = new SelfServiceTokens(Secret.of("x".repeat(40)), Clock.fixed(NOW, ZoneOffset.UTC));
        String theirs = other.issue(SelfServiceTokens.LINK, "alice", Duration.ofMinutes(15));

        assertThat(tokens.check(SelfServiceTokens.LINK, theirs)).isInstanceOf(SelfServiceTokens.Check.Forged.class);
        for (String mangled :
                new String[] {null, "", "l....", "l.a.b.c.d.e", "l.YWxpY2U.NaN.bm9uY2U.c2ln", "l.YWxpY2U.1.bm9uY2U.!!"
                }) {
            assertThat(tokens.check(SelfServiceTokens.LINK, mangled))
                    .as(String.valueOf(mangled))
                    .isInstanceOf(SelfServiceTokens.Check.Forged.class);
        }
    }

    @Test
    void twoLinksForOneUserHaveDifferentNonces() {
        var a = (SelfServiceTokens.Check.Valid) tokens.check(
                SelfServiceTokens.LINK, tokens.issue(SelfServiceTokens.LINK, "alice", Duration.ofMinutes(15)));
        var b = (SelfServiceTokens.Check.Valid) tokens.check(
                SelfServiceTokens.LINK, tokens.issue(SelfServiceTokens.LINK, "alice", Duration.ofMinutes(15)));

        assertThat(a.nonce()).isNotEqualTo(b.nonce());
    }
}
