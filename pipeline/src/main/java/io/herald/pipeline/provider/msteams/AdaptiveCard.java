package io.herald.pipeline.provider.msteams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.pipeline.provider.render.Escape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A notification as an Adaptive Card (schema 1.2, which Teams renders reliably; 1.5 was seen to break), built as a
 * Jackson tree, never by pasting strings into JSON: a title, an optional mention of the target, the text, the facts as
 * a FactSet, hints, and links as buttons. Teams refuses payloads over about 28 KB, so {@link #fit} trims the longest
 * parts and says so on the card.
 */
public final class AdaptiveCard {

    /** Teams' payload limit (about 28 KB), with the whole webhook message counted. */
    public static final int MAX_PAYLOAD_BYTES = 28 * 1024;

    static final String TRIM_MARKER = "✂ This message was too long for Teams and was shortened.";

    private final ObjectMapper json;

    public AdaptiveCard(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param mentionId the user to mention (UPN or Entra object id), or null for none
     * @param mentionName how the mention shows
     */
    public ObjectNode card(Content c, String mentionId, String mentionName, String textOverride) {
        ObjectNode card = json.createObjectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.2");
        ArrayNode body = card.putArray("body");
        if (c.title() != null && !c.title().isBlank()) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("id", "title")
                    .put("text", md(c.title().strip()))
                    .put("size", "Medium")
                    .put("weight", "Bolder")
                    .put("wrap", true);
        }
        if (mentionId != null) {
            String tag = "<at>" + md(mentionName) + "</at>";
            body.addObject().put("type", "TextBlock").put("text", "For " + tag).put("wrap", true);
            ObjectNode entity = card.putObject("msteams").putArray("entities").addObject();
            entity.put("type", "mention").put("text", tag);
            entity.putObject("mentioned").put("id", mentionId).put("name", mentionName);
        }
        String text = textOverride != null ? textOverride : c.text();
        if (text != null && !text.isBlank()) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("id", "text")
                    .put("text", md(text.strip()))
                    .put("wrap", true);
        }
        if (!c.facts().isEmpty()) {
            ArrayNode facts =
                    body.addObject().put("type", "FactSet").put("id", "facts").putArray("facts");
            for (Fact f : c.facts()) {
                facts.addObject().put("title", md(f.label())).put("value", md(f.value()));
            }
        }
        if (!c.hints().isEmpty()) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("text", "Hints")
                    .put("weight", "Bolder")
                    .put("spacing", "Medium");
            for (String hint : c.hints()) {
                body.addObject()
                        .put("type", "TextBlock")
                        .put("id", "hint")
                        .put("text", "• " + md(hint))
                        .put("wrap", true)
                        .put("spacing", "None");
            }
        }
        List<Link> web = new ArrayList<>();
        for (Link link : c.links()) {
            String url = nullToEmpty(link.url()).strip().toLowerCase(Locale.ROOT);
            if (url.startsWith("https://") || url.startsWith("http://")) {
                web.add(link);
            }
        }
        if (!web.isEmpty()) {
            ArrayNode actions = card.putArray("actions");
            web.forEach(l -> actions.addObject()
                    .put("type", "Action.OpenUrl")
                    .put("title", nullToEmpty(l.label()))
                    .put("url", l.url().strip()));
        }
        return card;
    }

    /** The webhook message around a card. */
    public ObjectNode message(ObjectNode card) {
        ObjectNode message = json.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }

    public int size(ObjectNode message) {
        return message.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Shortens a too-large message in place: the longest text blocks and fact values lose their tails first, then hints
     * and facts are dropped from the end; a visible marker is added.
     *
     * @return whether the message now fits
     */
    public boolean fit(ObjectNode message, int maxBytes) {
        if (size(message) <= maxBytes) {
            return true;
        }
        ObjectNode card = (ObjectNode) message.path("attachments").path(0).path("content");
        ArrayNode body = (ArrayNode) card.path("body");
        body.addObject()
                .put("type", "TextBlock")
                .put("id", "trimmed")
                .put("text", TRIM_MARKER)
                .put("color", "Warning")
                .put("wrap", true)
                .put("isSubtle", true);
        for (int round = 0; round < 64 && size(message) > maxBytes; round++) {
            ObjectNode longest = longestText(body);
            if (longest == null) {
                break;
            }
            String field = longest.has("value") ? "value" : "text";
            String value = longest.path(field).asText();
            int over = size(message) - maxBytes;
            // Bytes over budget, rounded up generously: multi-byte characters shrink slower than chars.
            int keep = Math.max(0, value.length() - Math.max(over, value.length() / 4) - 2);
            if (keep < 64) {
                if (!removeLast(body)) {
                    break;
                }
                continue;
            }
            if (Character.isLowSurrogate(value.charAt(keep))) {
                keep--;
            }
            longest.put(field, value.substring(0, keep) + " …");
        }
        return size(message) <= maxBytes;
    }

    /** The text block or fact with the longest text, skipping the title and the marker. */
    private static ObjectNode longestText(ArrayNode body) {
        ObjectNode best = null;
        int bestLength = 64;
        for (var element : body) {
            String id = element.path("id").asText("");
            if ("TextBlock".equals(element.path("type").asText()) && ("text".equals(id) || "hint".equals(id))) {
                int length = element.path("text").asText().length();
                if (length > bestLength) {
                    best = (ObjectNode) element;
                    bestLength = length;
                }
            }
            if ("FactSet".equals(element.path("type").asText())) {
                for (var fact : element.path("facts")) {
                    int length = fact.path("value").asText().length();
                    if (length > bestLength) {
                        best = (ObjectNode) fact;
                        bestLength = length;
                    }
                }
            }
        }
        return best;
    }

    /** Drops the last hint, else the last fact; false when nothing is left to drop. */
    private static boolean removeLast(ArrayNode body) {
        for (int i = body.size() - 1; i >= 0; i--) {
            if ("hint".equals(body.get(i).path("id").asText())) {
                body.remove(i);
                return true;
            }
        }
        for (int i = body.size() - 1; i >= 0; i--) {
            if ("FactSet".equals(body.get(i).path("type").asText())) {
                ArrayNode facts = (ArrayNode) body.get(i).path("facts");
                if (facts.isEmpty()) {
                    body.remove(i);
                } else {
                    facts.remove(facts.size() - 1);
                }
                return true;
            }
        }
        for (int i = body.size() - 1; i >= 0; i--) {
            if ("text".equals(body.get(i).path("id").asText())) {
                body.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * TextBlocks and FactSets render a Markdown subset, links included: caller text is escaped, so
     * {@code [click](https://evil)} shows as typed; the only links are the buttons Herald adds.
     */
    private static String md(String s) {
        return Escape.teamsMarkdown(s);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
