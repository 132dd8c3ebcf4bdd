package io.herald.core.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusUpdate;
import java.util.Objects;

/**
 * One status change to post: the exact body (rendered once, so every retry sends the same bytes), where to, and the
 * {@code webhook-id} that names it. The id is derived from the change itself (message, state, time), so a status
 * written twice (a crash between write and settle) gives the receiver the same id to de-duplicate by.
 *
 * @param body the JSON posted: {@code {"type":"message.<state>","timestamp":...,"data":{messageId,state,at,details}}},
 *     the envelope Standard Webhooks recommends
 */
public record CallbackEvent(String webhookId, String messageId, String state, String url, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    public CallbackEvent {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
    }

    /** The callback of one update, posted to {@code url}. */
    public static CallbackEvent of(StatusUpdate update, String url) {
        DeliveryState state = update.state();
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "message." + state.name());
        root.put("timestamp", update.at().toString());
        ObjectNode data = root.putObject("data");
        data.put("messageId", update.messageId());
        data.put("state", state.name());
        data.put("at", update.at().toString());
        data.put("final", state.isFinal());
        details(state, data.putObject("details"));
        String id = "evt_" + update.messageId().replace("-", "") + "_"
                + state.name().replace("-", "") + "_" + update.at().toEpochMilli();
        return new CallbackEvent(id, update.messageId(), state.name(), url, root.toString());
    }

    private static void details(DeliveryState state, ObjectNode d) {
        switch (state) {
            case DeliveryState.Queued q -> {}
            case DeliveryState.Sending s -> d.put("provider", s.provider());
            case DeliveryState.Delivered x -> {
                d.put("provider", x.provider());
                d.put("providerMessageId", x.providerMessageId());
            }
            case DeliveryState.Retrying r -> {
                d.put("attempts", r.attempts());
                d.put("lastError", r.lastError());
            }
            case DeliveryState.Rejected r -> d.put("reason", r.reason());
            case DeliveryState.DeadLettered x -> d.put("reason", x.reason());
            case DeliveryState.Bounced b -> {
                d.put("kind", b.permanent() ? "hard" : "soft");
                d.put("diagnostic", b.diagnostic());
                d.put("source", b.source());
            }
            case DeliveryState.Complained c -> {
                d.put("feedbackType", c.feedbackType());
                d.put("source", c.source());
            }
            case DeliveryState.Suppressed x -> d.put("reason", x.reason());
        }
    }

    /** The SQS message body that carries this event on the callbacks queue. */
    public String toQueueBody() {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("webhookId", webhookId);
        node.put("messageId", messageId);
        node.put("state", state);
        node.put("url", url);
        node.put("body", body);
        return node.toString();
    }

    /** @throws IllegalArgumentException naming what is missing when the body is not one of {@link #toQueueBody}'s */
    public static CallbackEvent fromQueueBody(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("callback message is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("callback message is not a JSON object");
        }
        return new CallbackEvent(
                field(node, "webhookId"),
                field(node, "messageId"),
                field(node, "state"),
                field(node, "url"),
                field(node, "body"));
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("callback message has no text field '" + name + "'");
        }
        return value.asText();
    }

    @Override
    public String toString() {
        // The URL may hold the receiver's token: records print every field, this one must not.
        return "CallbackEvent[" + webhookId + " " + state + " to " + CallbackTargets.shown(url) + "]";
    }
}
