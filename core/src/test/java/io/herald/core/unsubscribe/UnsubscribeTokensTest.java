package io.herald.core.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.Secret;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {

    private final UnsubscribeTokens tokens = new UnsubscribeTokens(Secret.of("k".repeat(40)));

    @Test
    void aTokenNamesItsAddressNormalizedAndItsCategoryAndIsUrlSafe() {
        String token = tokens.issue(" Alice@UNI.org ", "slurm:hpc1");

        assertThat(token).matches("[A-Za-z0-9_.-]+").startsWith("u1.");
        assertThat(tokens.check(token)).contains(new UnsubscribeTokens.Unsubscription("alice@uni.org", "slurm:hpc1"));
        // Stateless and without expiry: the same secret reads it again, however often and however late.
        assertThat(new UnsubscribeTokens(Secret.of("k".repeat(40))).check(token))
                .isPresent();
        assertThat(tokens.check(token)).isPresent();
    }

    @Test
    void aTokenWithAnotherAddressOrCategorySwappedInIsRefused() {
        String alice = tokens.issue("alice@uni.org", "newsletter");
        String bob = tokens.issue("bob@uni.org", "default");
        String[] a = alice.split("\\.");
        String[] b = bob.split("\\.");
        String otherAddress = String.join(".", a[0], b[1], a[2], a[3]);
        String otherCategory = String.join(".", a[0], a[1], b[2], a[3]);
        String relabelled = alice.replaceFirst("^u1", "u2");

        assertThat(tokens.check(otherAddress)).isEmpty();
        assertThat(tokens.check(otherCategory)).isEmpty();
        assertThat(tokens.check(relabelled)).isEmpty();
    }

    @Test
    void anotherSecretsTokenAndMangledTokensAreRefused() {
        String theirs = new UnsubscribeTokens(Secret.of("x".repeat(40))).issue("alice@uni.org", "default");
        String ours = tokens.issue("alice@uni.org", "default");

        assertThat(tokens.check(theirs)).isEmpty();
        for (String mangled : new String[] {
            "",
            "u1",
            "u1...",
            ours.substring(0, ours.length() - 2),
            ours + ".x",
            ours.replace('.', '!'),
            null,
            "u1." + "A".repeat(2000)
        }) {
            assertThat(tokens.check(mangled)).as(String.valueOf(mangled)).isEqualTo(Optional.empty());
        }
        String forgedSignature = ours.substring(0, ours.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertThat(tokens.check(forgedSignature)).isEmpty();
    }

    @Test
    void aShortOrMissingSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> new UnsubscribeTokens(Secret.of("tiny-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsubscribe.secret")
                .hasMessageNotContaining("tiny-secret");
        assertThatThrownBy(() -> new UnsubscribeTokens(Secret.none())).isInstanceOf(IllegalArgumentException.class);
        assertThat(tokens.toString()).doesNotContain("kkkk");
    }
}
