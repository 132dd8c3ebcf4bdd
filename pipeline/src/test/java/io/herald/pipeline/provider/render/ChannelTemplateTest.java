package io.herald.pipeline.provider.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.slack.SlackMrkdwn;
import io.herald.pipeline.provider.telegram.TelegramHtml;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTemplateTest {

    private static final String NAME = "{{ job.name }}";

    @TempDir
    Path dir;

    private static String render(OutputFormat format) {
        return ChannelTemplate.compile(NAME, format).render(Fixtures.nasty("x", "y"));
    }

    @Test
    void aTemplateCannotLoadAnotherTemplateOrAFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "top secret file content");
        for (String tag : ChannelTemplate.LOADING_TAGS) {
            Path file = Files.writeString(dir.resolve(tag + ".peb"), "a {% " + tag + " \"" + secret + "\" %} b");

            assertThatThrownBy(() -> ChannelTemplate.load(file.toString(), OutputFormat.HTML))
                    .as(tag)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not compile")
                    .hasMessageNotContaining("top secret");
        }
    }

    @Test
    void htmlEscapesMarkupAndQuotes() {
        assertThat(render(OutputFormat.HTML))
                .isEqualTo("run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
    }

    @Test
    void telegramHtmlUsesOnlyTheEntitiesTelegramKnows() {
        assertThat(render(TelegramHtml.FORMAT))
                .isEqualTo("run &quot;α=0.5&quot; &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
        assertThat(ChannelTemplate.compile("{{ text }}", TelegramHtml.FORMAT)
                        .render(Fixtures.withText("x", "y", "it's")))
                .isEqualTo("it's");
    }

    @Test
    void jsonEscapesForAStringLiteral() {
        assertThat(render(OutputFormat.JSON))
                .isEqualTo("run \\\"α=0.5\\\" \\u003cscript\\u003ealert(1)\\u003c/script\\u003e $(id) café 🚀");
    }

    @Test
    void slackMrkdwnEscapesOnlyItsThreeControlCharacters() {
        assertThat(render(SlackMrkdwn.FORMAT))
                .isEqualTo("run \"α=0.5\" &lt;script&gt;alert(1)&lt;/script&gt; $(id) café 🚀");
    }

    @Test
    void markdownBackslashEscapesWhatCouldFormat() {
        assertThat(render(OutputFormat.MARKDOWN))
                .isEqualTo("run \"α=0.5\" \\<script\\>alert\\(1\\)\\</script\\> $\\(id\\) café 🚀");
        assertThat(ChannelTemplate.compile("{{ text }}", OutputFormat.MARKDOWN)
                        .render(Fixtures.withText("x", "y", "*bold* _it_ @everyone")))
                .isEqualTo("\\*bold\\* \\_it\\_ \\@everyone");
    }

    @Test
    void rawFilterLetsATemplateOptOutOnPurpose() {
        assertThat(ChannelTemplate.compile("{{ job.name | raw }}", OutputFormat.HTML)
                        .render(Fixtures.nasty("x", "y")))
                .isEqualTo(Fixtures.NASTY_JOB);
    }

    @Test
    void templateSeesFactsHintsAndEnvelopeFields() {
        String out = ChannelTemplate.compile(
                        "{{ id }}|{% for f in facts %}{{ f.label }}={{ f.value }};{% endfor %}|{{ hints[0] }}",
                        OutputFormat.HTML)
                .render(Fixtures.envelope("email", "a@b.org"));

        assertThat(out).matches("[0-9a-f-]{36}\\|Partition=compute;Exit code=0:0;\\|Memory was over-requested by 80 %");
    }

    @Test
    void missingTemplateFileIsNamedInTheError() {
        assertThatThrownBy(() -> ChannelTemplate.load(dir.resolve("nope.peb").toString(), OutputFormat.HTML))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.peb");
    }

    @Test
    void brokenTemplateFailsWhenLoadedNotWhenSending() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.peb"), "{% for x in %}");

        assertThatThrownBy(() -> ChannelTemplate.load(file.toString(), OutputFormat.HTML))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not compile");
    }

    @Test
    void noTemplateConfiguredMeansNativeRendering() {
        assertThat(ChannelTemplate.load("", OutputFormat.HTML)).isEmpty();
    }
}
