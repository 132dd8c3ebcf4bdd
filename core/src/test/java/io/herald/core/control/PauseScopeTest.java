package io.herald.core.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'queue'");
        assertThatThrownBy(() -> PauseScope.of("channel", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
