package io.herald.core.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for SQS where ElasticMQ cannot behave as needed: it answers SendMessageBatch in SQS's JSON protocol (the
 * AWS SDK's default for SQS) with a per-entry refusal, or fails the whole request echoing it back as some
 * SQS-compatible servers do. Everything else about SQS is tested against ElasticMQ.
 */
final class SqsBatchFake implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<Integer> entriesPerCall = new CopyOnWriteArrayList<>();

    private SqsBatchFake(Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            JsonNode request = json.readTree(exchange.getRequestBody());
            entriesPerCall.add(request.path("Entries").size());
            responder.respond(request, exchange);
        });
        server.start();
    }

    private interface Responder {
        void respond(JsonNode request, HttpExchange exchange) throws IOException;
    }

    /** Accepts every entry but the one with {@code refusedId}, which fails with {@code code}. */
    static SqsBatchFake refusingEntry(String refusedId, String code, boolean senderFault) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return new SqsBatchFake((request, exchange) -> {
            ObjectNode answer = json.createObjectNode();
            ArrayNode successful = answer.putArray("Successful");
            ArrayNode failed = answer.putArray("Failed");
            for (JsonNode entry : request.path("Entries")) {
                String id = entry.path("Id").asText();
                if (id.equals(refusedId)) {
                    failed.addObject()
                            .put("Id", id)
                            .put("Code", code)
                            .put("SenderFault", senderFault)
                            .put(
                                    "Message",
                                    "refused: " + entry.path("MessageBody").asText());
                } else {
                    // The SDK checks each accepted body against its MD5, as it would with SQS.
                    successful
                            .addObject()
                            .put("Id", id)
                            .put("MessageId", "m-" + id)
                            .put(
                                    "MD5OfMessageBody",
                                    md5(entry.path("MessageBody").asText()));
                }
            }
            reply(exchange, 200, json.writeValueAsString(answer));
        });
    }

    /** Fails every request with HTTP 400 and an error message that quotes the request. */
    static SqsBatchFake failingWholeRequestEchoingIt() throws IOException {
        ObjectMapper json = new ObjectMapper();
        return new SqsBatchFake((request, exchange) -> {
            ObjectNode error = json.createObjectNode()
                    .put("__type", "com.amazonaws.sqs#InvalidAction")
                    .put("message", "cannot handle request: " + request);
            exchange.getResponseHeaders().add("x-amzn-query-error", "InvalidAction;Sender");
            reply(exchange, 400, json.writeValueAsString(error));
        });
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Integer> entriesPerCall() {
        return List.copyOf(entriesPerCall);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
