package io.herald.pipeline.provider.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelegramHtmlTest {

    @Test
    void tagsCountNothingAndEntitiesCountOne() {
        assertThat(TelegramHtml.visibleLength("<b>a&lt;b</b>")).isEqualTo(3);
    }

    @Test
    void emojiCountsAsTwoUtf16Units() {
        assertThat(TelegramHtml.visibleLength("🚀")).isEqualTo(2);
    }

    @Test
    void textWithinTheLimitIsUntouched() {
        assertThat(TelegramHtml.truncate("<b>short</b>", 4096)).isEqualTo("<b>short</b>");
    }

    @Test
    void cutClosesOpenTagsAndEndsWithTheMarker() {
        String html = "<b>" + "x".repeat(100) + "</b>";

        String cut = TelegramHtml.truncate(html, 50);

        assertThat(cut).startsWith("<b>xxx").endsWith("</b>" + TelegramHtml.MARKER);
        assertThat(TelegramHtml.visibleLength(cut)).isLessThanOrEqualTo(50);
    }

    @Test
    void cutNeverSplitsAnEntityOrASurrogatePair() {
        String html = "&amp;🚀".repeat(40);

        String cut = TelegramHtml.truncate(html, 41);

        String body = cut.substring(0, cut.length() - TelegramHtml.MARKER.length());
        assertThat(body).matches("(&amp;🚀)*(&amp;)?");
    }
}
