package io.herald.pipeline.provider.msteams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.pipeline.provider.Fakes;
import io.herald.pipeline.provider.Fixtures;
import io.herald.pipeline.provider.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeamsProviderTest {

    private static final String PATH = "/workflows/abc123/triggers/manual/paths/invoke";
    private static final String SIG = "sig=teamsSecretSignature0123456789";

    private final ObjectMapper json = new ObjectMapper();
    private WireMockServer fake;
    private TeamsProvider provider;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        fake = Fakes.start();
        provider = provider("");
    }

    @AfterEach
    void stop() {
        provider.close();
        fake.stop();
    }

    private TeamsProvider provider(String template) {
        return new TeamsProvider(
                new TeamsConfig(
                        true,
                        1,
                        Fakes.SEND_TIMEOUT,
                        1000,
                        Duration.ofSeconds(1),
                        template,
                        Secret.of(Fakes.baseUrl(fake) + PATH + "?api-version=1&" + SIG)),
                Clock.systemUTC());
    }

    private void answer(int status, String body) {
        fake.stubFor(post(urlPathEqualTo(PATH))
                .willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private JsonNode sentCard() throws Exception {
        JsonNode message =
                json.readTree(fake.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("attachments").path(0).path("contentType").asText())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        return message.path("attachments").path(0).path("content");
    }

    @Test
    void acceptedIsDeliveredAsAnAdaptiveCardWithFactSetAndMention() throws Exception {
        answer(202, "");
        Envelope envelope = Fixtures.envelope("msteams", "bob@example.org").withTargetName("Bob Example");

        assertThat(provider.send(envelope)).isInstanceOf(Outcome.Delivered.class);

        JsonNode card = sentCard();
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asText()).isEqualTo("1.2");
        assertThat(card.path("body").path(0).path("text").asText()).isEqualTo("Job 42 ended");
        assertThat(card.toString())
                .contains("\"type\":\"FactSet\"")
                .contains("{\"title\":\"Partition\",\"value\":\"compute\"}");
        JsonNode mention = card.path("msteams").path("entities").path(0);
        assertThat(mention.path("type").asText()).isEqualTo("mention");
        assertThat(mention.path("text").asText()).isEqualTo("<at>Bob Example</at>");
        assertThat(mention.path("mentioned").path("id").asText()).isEqualTo("bob@example.org");
        assertThat(card.path("body").toString()).contains("For <at>Bob Example</at>");
        assertThat(card.path("actions").path(0).path("url").asText()).isEqualTo("https://hpc.example.org/jobs/42");
    }

    @Test
    void cardOver28KbIsTrimmedWithAVisibleMarker() throws Exception {
        answer(202, "");

        provider.send(Fixtures.withText("msteams", "x", "Ünïcode ✓ line\n".repeat(5000)));

        String message = fake.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(AdaptiveCard.MAX_PAYLOAD_BYTES);
        assertThat(sentCard().path("body").toString())
                .contains(AdaptiveCard.TRIM_MARKER)
                .contains("Ünïcode ✓ line");
    }

    @Test
    void nastyJobNameReadsAsWrittenAndCannotBreakTheCard() throws Exception {
        answer(202, "");

        provider.send(Fixtures.nasty("msteams", "x"));

        JsonNode card = sentCard();
        assertThat(shown(card.path("body").path(0).path("text").asText()))
                .isEqualTo("Job 42 (" + Fixtures.NASTY_JOB + ") ended");
        JsonNode fact = card.path("body").findValue("facts").path(0);
        assertThat(shown(fact.path("title").asText())).isEqualTo("Job name");
        assertThat(shown(fact.path("value").asText())).isEqualTo(Fixtures.NASTY_JOB);
    }

    @Test
    void callerMarkdownLinksAreShownAsTypedNotRenderedAsDisguisedLinks() throws Exception {
        answer(202, "");
        String trap = "[click here](https://evil.example/login) **urgent**";
        Content content = Content.of("Title " + trap, "Text " + trap)
                .withFacts(List.of(new Fact("Label " + trap, "Value " + trap)))
                .withHints(List.of("Hint " + trap))
                .withLinks(List.of(new Link("Job output", "https://hpc.example.org/jobs/42")));

        provider.send(Envelope.create("msteams", "x", content, Origin.api("test"), Fixtures.NOW));

        JsonNode card = sentCard();
        List<String> texts = new ArrayList<>();
        card.path("body").forEach(block -> texts.add(block.path("text").asText()));
        texts.removeIf(t -> t.isEmpty() || t.equals("Hints"));
        card.path("body").findValue("facts").forEach(f -> {
            texts.add(f.path("title").asText());
            texts.add(f.path("value").asText());
        });
        // An unescaped "[label](" is what Adaptive Cards' Markdown turns into a link with any label.
        Pattern link = Pattern.compile("(?<!\\\\)\\[[^\\]]*(?<!\\\\)\\]\\(");
        Pattern bold = Pattern.compile("(?<!\\\\)\\*\\*");
        assertThat(texts)
                .hasSize(5)
                .noneMatch(t -> link.matcher(t).find() || bold.matcher(t).find());
        assertThat(texts.stream().map(TeamsProviderTest::shown))
                .contains("Title " + trap, "Text " + trap, "• Hint " + trap, "Label " + trap, "Value " + trap);
        // The only link is the one Herald adds, as a button.
        assertThat(card.path("actions").toString())
                .contains("https://hpc.example.org/jobs/42")
                .doesNotContain("evil");
    }

    /** What a CommonMark renderer shows for text with backslash escapes: each escaped punctuation as itself. */
    private static String shown(String markdown) {
        return markdown.replaceAll("\\\\(\\p{Punct})", "$1");
    }

    @Test
    void operatorTemplateProducesTheCardWithJsonEscapedValues() throws Exception {
        Path template = dir.resolve("card.json.peb");
        Files.writeString(template, """
                {"type": "AdaptiveCard", "version": "1.2",
                 "body": [{"type": "TextBlock", "text": "{{ job.name }} is {{ job.state }}", "wrap": true}]}
                """);
        provider.close();
        provider = provider(template.toString());
        answer(202, "");

        assertThat(provider.send(Fixtures.nasty("msteams", "x"))).isInstanceOf(Outcome.Delivered.class);

        assertThat(sentCard().path("body").path(0).path("text").asText())
                .isEqualTo(Fixtures.NASTY_JOB + " is COMPLETED");
    }
}
