package io.herald.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PauseScopeTest {

    @Test
    void theCliAndApiSpellingReadsBack() {
        assertThat(PauseScope.of("channel", "email")).isEqualTo(PauseScope.channel("email"));
        assertThat(PauseScope.of("provider", "ses")).isEqualTo(PauseScope.provider("ses"));
        assertThat(PauseScope.provider("ses").kind().label()).isEqualTo("provider");
        assertThat(PauseScope.channel("email")).hasToString("channel email");
    }

    @Test
    void anUnknownKindOrABlankNameIsRefusedByName() {
        assertThatThrownBy(() -> PauseScope.of("queue", "herald-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'queue'");
        assertThatThrownBy(() -> PauseScope.of("channel", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyChannelAndProviderHeraldHasMayBePausedAndNothingElse() {
        assertThat(PauseTargets.problem(PauseScope.channel("email"))).isEmpty();
        assertThat(PauseTargets.problem(PauseScope.channel("msteams"))).isEmpty();
        assertThat(PauseTargets.problem(PauseScope.provider("sendgrid"))).isEmpty();
        assertThat(PauseTargets.problem(PauseScope.channel("ses")))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("unknown channel 'ses'")
                .contains("email");
        assertThat(PauseTargets.problem(PauseScope.provider("postmark")))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("unknown provider 'postmark'")
                .contains("sendgrid");
    }
}
