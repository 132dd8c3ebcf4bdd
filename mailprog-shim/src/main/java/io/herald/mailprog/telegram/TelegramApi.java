package io.herald.mailprog.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The three Bot API methods the bot needs, over plain HTTP. The token is part of every URL
 * ({@code /bot<token>/method}), so URLs are never logged and every error message is scrubbed of it before it leaves
 * this class.
 */
public final class TelegramApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Secret token;
    private final HttpClient http;

    public TelegramApi(URI baseUrl, Secret token) {
        String b = baseUrl.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The bot itself: its id and username (to know when a group addresses it). */
    public JsonNode getMe() {
        return call("getMe", JSON.createObjectNode(), Duration.ofSeconds(30));
    }

    /** Long poll: waits up to {@code wait} for updates after {@code offset}, and confirms those before it. */
    public List<JsonNode> getUpdates(long offset, Duration wait) {
        ObjectNode body = JSON.createObjectNode().put("offset", offset).put("timeout", wait.toSeconds());
        body.putArray("allowed_updates").add("message").add("my_chat_member");
        JsonNode result = call("getUpdates", body, wait.plusSeconds(15));
        List<JsonNode> out = new ArrayList<>();
        result.forEach(out::add);
        return out;
    }

    public void sendMessage(long chatId, String text) {
        // Plain text on purpose: a chat id needs no markup, and nothing then needs escaping.
        ObjectNode body = JSON.createObjectNode().put("chat_id", chatId).put("text", text);
        call("sendMessage", body, Duration.ofSeconds(30));
    }

    private JsonNode call(String method, ObjectNode body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token.reveal() + "/" + method))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TelegramApiException(
                    0, method + ": Telegram could not be reached: " + scrub(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TelegramApiException(0, method + ": interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new TelegramApiException(
                    response.statusCode(), method + ": HTTP " + response.statusCode() + " without a JSON answer");
        }
        if (response.statusCode() != 200 || !answer.path("ok").asBoolean(false)) {
            String description = scrub(answer.path("description").asText("no description"));
            throw new TelegramApiException(
                    response.statusCode(), method + ": HTTP " + response.statusCode() + ": " + description);
        }
        return answer.path("result");
    }

    /** Telegram sometimes echoes what it was sent; a token in there must not reach a log. */
    String scrub(String text) {
        String secret = token.reveal();
        return secret.isEmpty() ? text : text.replace(secret, "<token>");
    }

    @Override
    public void close() {
        // An unclosed HttpClient keeps the JVM alive ~300 ms for its selector thread.
        http.close();
    }
}
