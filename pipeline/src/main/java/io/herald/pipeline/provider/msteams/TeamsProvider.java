package io.herald.pipeline.provider.msteams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.http.HttpJson;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.render.ChannelTemplate;
import io.herald.pipeline.provider.render.OutputFormat;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"; the old Office 365 connector
 * webhooks are retired), posting an Adaptive Card. The webhook decides the channel; the target is the user to mention
 * (a UPN such as {@code bob@example.org}). A 2xx only means the workflow accepted the request, not that the card was
 * posted.
 *
 * <p>An operator's template renders the card's JSON itself (auto-escaped for JSON strings); it is parsed before
 * sending, so a template that produces broken JSON fails loudly instead of posting.
 */
public final class TeamsProvider extends HttpProvider {

    private final URI webhook;
    private final Optional<ChannelTemplate> template;
    private final ObjectMapper json = new ObjectMapper();
    private final AdaptiveCard cards = new AdaptiveCard(json);

    public TeamsProvider(TeamsConfig config, Clock clock) {
        super(config.timeout(), Redactor.of(config.webhookUrl()), clock);
        this.webhook = URI.create(config.webhookUrl().reveal().strip());
        this.template = ChannelTemplate.load(config.template(), OutputFormat.JSON);
    }

    @Override
    public String name() {
        return "msteams";
    }

    @Override
    public String channel() {
        return "msteams";
    }

    /** The webhook message for an envelope, trimmed to Teams' size limit. */
    public ObjectNode payload(Envelope envelope) {
        ObjectNode card;
        if (template.isPresent()) {
            card = templatedCard(envelope);
        } else {
            String target = envelope.target().strip();
            boolean mention = target.contains("@") || target.matches("[0-9a-fA-F-]{36}");
            String name =
                    envelope.targetName() != null && !envelope.targetName().isBlank()
                            ? envelope.targetName().strip()
                            : target;
            card = cards.card(envelope.content(), mention ? target : null, name, null);
        }
        ObjectNode message = cards.message(card);
        if (!cards.fit(message, AdaptiveCard.MAX_PAYLOAD_BYTES)) {
            throw new Unsendable(
                    "the card is over Teams' " + AdaptiveCard.MAX_PAYLOAD_BYTES + " bytes even after trimming");
        }
        return message;
    }

    private ObjectNode templatedCard(Envelope envelope) {
        String rendered = template.orElseThrow().render(envelope);
        JsonNode tree;
        try {
            tree = json.readTree(rendered);
        } catch (Exception e) {
            throw new IllegalStateException("the msteams template did not produce JSON: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode object)
                || !"AdaptiveCard".equals(object.path("type").asText())) {
            throw new IllegalStateException("the msteams template must produce an AdaptiveCard object");
        }
        return object;
    }

    @Override
    protected Call call(Envelope envelope) {
        return new Call("POST", webhook, payload(envelope).toString(), Map.of());
    }

    @Override
    protected Outcome classify(HttpJson.Answer answer) {
        if (answer.is2xx()) {
            return new Outcome.Delivered(answer.header("x-ms-workflow-run-id").orElse("accepted"));
        }
        String why = "Teams " + answer.status() + (answer.body().isBlank() ? "" : ": " + brief(answer.body()));
        return switch (answer.status()) {
            case 429 -> new Outcome.Retry(retryAfterHeader(answer), why);
            // The workflow was deleted, disabled or its URL's signature no longer matches.
            case 401, 403, 404 -> new Outcome.ProviderDown(why);
            case 400, 413 -> new Outcome.Rejected(why);
            default -> new Outcome.Retry(answer.status() >= 500 ? retryAfterHeader(answer) : Duration.ZERO, why);
        };
    }
}
