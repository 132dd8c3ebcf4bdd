package io.herald.core.embedded;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Core's own classpath is a production one: the engines are not on it, and asking for them says how to fix it. */
class EmbeddedServicesTest {

    @Test
    void withoutTheEmbeddedJarsLoadingFailsOnOneLineNamingTheFix() {
        assertThatThrownBy(EmbeddedServices::load)
                .isInstanceOf(EmbeddedServices.EmbeddedServicesMissing.class)
                .hasMessageContaining("herald-embedded")
                .hasMessageContaining("lib/embedded")
                .hasMessageNotContaining("\n");
    }
}
