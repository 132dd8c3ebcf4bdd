package io.herald.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Malformed and odd HTTP requests for the API, generated from a seed: the same seed gives the same requests in the same
 * order. Each is built as raw bytes, so nothing a client library would refuse to send is left out.
 */
final class ApiFuzzCases {

    /**
     * One request to throw at the API; {@code kind} groups the counts.
     *
     * @param variant which API of the stack gets it: {@code store} (open) or {@code keyed} (one send-only key limited
     *     to senders at {@link ApiStackMain#KEYED_SENDER_DOMAIN})
     * @param expect what the answer must be beyond "no 5xx": {@link Expect}
     */
    record Case(String kind, byte[] request, String variant, Expect expect) {
        Case(String kind, byte[] request) {
            this(kind, request, "store", Expect.ANY);
        }
    }

    /** What a case's answer must be, besides never a 5xx. */
    enum Expect {
        /** Any 2xx or 4xx. */
        ANY,
        /** Never a 2xx: a sender the key may not use, a disguised domain, an address in a display name. */
        REFUSED,
        /** A 2xx: the ordinary request the refused ones are variations of. */
        ACCEPTED,
        /** The same class of answer as the same request without {@code from}: an empty from is no from. */
        AS_WITHOUT_FROM,
        /** The request without {@code from} that {@link #AS_WITHOUT_FROM} is compared with. */
        WITHOUT_FROM
    }

    static final List<String> KINDS = List.of(
            "json-shape",
            "size",
            "encoding",
            "header-injection",
            "content-type",
            "idempotency-key",
            "method-path",
            "framing",
            "receivers",
            "sender",
            "display-name",
            "content-tricks");

    /** Domains that stand for {@link ApiStackMain#KEYED_SENDER_DOMAIN} or sit next to it (issue 15, 1 and 11). */
    private static final List<String> NOT_THE_KEYS_DOMAIN = List.of(
            "beta.example.org",
            "x.alpha.example.org",
            "alpha.example.org.evil.example",
            "alpha.ex\u00ADample.org",
            "alpha.exam\u200Dple.org",
            "alpha.exam\u200Bple.org",
            "\u0430lpha.example.org",
            "alpha.e\uFF58ample.org",
            "alpha.example\uFF0Eorg",
            "alpha.\u0435xample.org",
            "alpha.example.org\u0000",
            "alpha.example.org\r\nBcc: x@evil.example");

    private static final String[] PATHS = {"/email/send", "/v1/notifications"};
    private static final String[] FIELDS = {"fromEmail", "fromName", "toEmail", "toName", "subject", "body"};
    private static final String[] NOTIFICATION_FIELDS = {
        "to", "from", "fromName", "title", "subject", "text", "html", "facts"
    };

    private final Random random;
    private final int maxBodyBytes;

    ApiFuzzCases(long seed, int maxBodyBytes) {
        this.random = new Random(seed);
        this.maxBodyBytes = maxBodyBytes;
    }

    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String kind = KINDS.get(i % KINDS.size());
            cases.add(new Case(
                    kind,
                    switch (kind) {
                        case "json-shape" -> post(path(), "application/json", jsonShape());
                        case "size" -> size();
                        case "encoding" -> post(path(), "application/json", encoding());
                        case "header-injection" -> headerInjection();
                        case "content-type" ->
                            post(path(), contentType(), validBody(path()).getBytes(StandardCharsets.UTF_8));
                        case "idempotency-key" -> idempotencyKey();
                        case "method-path" -> methodPath();
                        case "framing" -> framing();
                        case "receivers" -> receivers();
                        case "content-tricks" -> contentTricks();
                        case "sender", "display-name" -> null;
                        default -> throw new IllegalStateException(kind);
                    }));
            if (kind.equals("sender")) {
                cases.set(i, sender());
            } else if (kind.equals("display-name")) {
                cases.set(i, displayName());
            }
        }
        return cases;
    }

    /**
     * Many receivers in one request, the same inbox in different letter cases, and runs of commas as long as the body
     * limit allows (issue 15, findings 2 and 3: 262 KB of commas once got a 20.7 MB answer). The answer's size is what
     * the drill checks.
     */
    private byte[] receivers() {
        int n = 50 + random.nextInt(1950);
        List<String> items = new ArrayList<>();
        String to = switch (random.nextInt(6)) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    items.add("mailto:r" + i + "@example.org");
                }
                yield String.join(",", items);
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    items.add("mailto:" + (i % 2 == 0 ? "Victim" : "victim") + "@"
                            + (i % 3 == 0 ? "EXAMPLE.org" : "example.org"));
                }
                yield String.join(",", items);
            }
            case 2 -> ",".repeat(1000 + random.nextInt(Math.max(1, maxBodyBytes - 1200)));
            case 3 -> "mailto:a@example.org" + ",".repeat(1000 + random.nextInt(Math.max(1, maxBodyBytes - 1200)));
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    items.add("nonsense" + i + ":" + "x".repeat(random.nextInt(40)));
                }
                yield String.join(",", items);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    items.add("telegram:" + i);
                }
                yield String.join(", ,", items);
            }
        };
        if (random.nextInt(4) == 0) {
            return post(
                    PATHS[0],
                    "application/json",
                    ("{\"email\":{\"fromEmail\":\"from@example.com\",\"toEmail\":" + quote(to.replace("mailto:", ""))
                                    + ",\"subject\":\"s\",\"body\":\"b\"}}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        return post(
                PATHS[1],
                "application/json",
                ("{\"to\":" + quote(to) + ",\"from\":\"from@example.com\",\"title\":\"t\",\"text\":\"x\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The keyed API's sender check: its own domain (accepted), no from, an empty or blank from (answered as no from),
     * and every look-alike or neighbour of its domain (refused).
     */
    private Case sender() {
        boolean notifications = random.nextBoolean();
        String local = List.of("ceo", "noreply", "Alerts").get(random.nextInt(3));
        int pick = random.nextInt(10);
        String from;
        Expect expect;
        if (pick == 0) {
            from = local + "@" + (random.nextBoolean() ? ApiStackMain.KEYED_SENDER_DOMAIN : "ALPHA.Example.ORG");
            expect = Expect.ACCEPTED;
        } else if (pick == 1) {
            from = null;
            expect = Expect.WITHOUT_FROM;
        } else if (pick == 2) {
            from = List.of("", " ", "\t").get(random.nextInt(3));
            expect = Expect.AS_WITHOUT_FROM;
        } else {
            from = local + "@" + NOT_THE_KEYS_DOMAIN.get(random.nextInt(NOT_THE_KEYS_DOMAIN.size()));
            expect = Expect.REFUSED;
        }
        String body = notifications
                ? "{\"to\":\"mailto:victim@victim.example\"" + (from == null ? "" : ",\"from\":" + quote(from))
                        + ",\"title\":\"t\",\"text\":\"x\"}"
                : "{\"email\":{" + (from == null ? "" : "\"fromEmail\":" + quote(from) + ",")
                        + "\"toEmail\":\"victim@victim.example\",\"subject\":\"s\",\"body\":\"b\"}}";
        byte[] request = request(
                "POST",
                notifications ? PATHS[1] : PATHS[0],
                List.of("Content-Type: application/json", "Authorization: Bearer " + ApiStackMain.KEYED_TOKEN),
                body.getBytes(StandardCharsets.UTF_8));
        return new Case("sender", request, "keyed", expect);
    }

    /** A display name that holds an address or angle brackets, to pass as someone else (finding 13). */
    private Case displayName() {
        String name = List.of(
                        "Bank <ceo@bank.example>",
                        "ceo@bank.example",
                        "\"Bank\" <ceo@bank.example>",
                        "IT Support <",
                        "> urgent",
                        "Bank (ceo@bank.example)")
                .get(random.nextInt(6));
        boolean notifications = random.nextBoolean();
        String body = notifications
                ? "{\"to\":\"mailto:a@example.org\",\"from\":\"from@example.com\",\"fromName\":" + quote(name)
                        + ",\"title\":\"t\",\"text\":\"x\"}"
                : "{\"email\":{\"fromEmail\":\"from@example.com\",\"fromName\":" + quote(name)
                        + ",\"toEmail\":\"a@example.org\",\"subject\":\"s\",\"body\":\"b\"}}";
        return new Case(
                "display-name",
                post(notifications ? PATHS[1] : PATHS[0], "application/json", body.getBytes(StandardCharsets.UTF_8)),
                "store",
                Expect.REFUSED);
    }

    /**
     * Chat notifications whose text tries what the providers must defuse (mentions of everyone, Markdown links with a
     * disguised target, something shaped like a leaked token); the API takes them as text. What the providers make of
     * such text is the drill's provider phase.
     */
    private byte[] contentTricks() {
        String to = List.of(
                        "mattermost:town-square",
                        "slack:U024BE7LH",
                        "matrix:!room:example.org",
                        "telegram:123456789",
                        "msteams:bob@example.org",
                        "discord:80351110224678912",
                        "mattermost:@alice")
                .get(random.nextInt(7));
        String title = ContentTricks.text(random);
        String text = ContentTricks.text(random) + " " + ContentTricks.text(random);
        return post(
                PATHS[1],
                "application/json",
                ("{\"to\":" + quote(to) + ",\"title\":" + quote(title) + ",\"text\":"
                                + quote(text) + ",\"facts\":[{\"label\":" + quote(ContentTricks.text(random))
                                + ",\"value\":"
                                + quote(ContentTricks.text(random)) + "}]}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private String path() {
        return PATHS[random.nextInt(PATHS.length)];
    }

    private String validBody(String path) {
        return path.equals("/email/send")
                ? "{\"email\":{\"fromEmail\":\"from@example.com\",\"toEmail\":\"to" + random.nextInt(1000)
                        + "@example.com\",\"subject\":\"Fuzz\",\"body\":\"Body\"}}"
                : "{\"to\":\"mailto:to" + random.nextInt(1000)
                        + "@example.com\",\"from\":\"from@example.com\",\"title\":\"Fuzz\",\"text\":\"Body\"}";
    }

    /** Valid bodies with one field changed to something odd, or random JSON trees, or broken JSON. */
    private byte[] jsonShape() {
        String path = PATHS[0];
        return switch (random.nextInt(6)) {
            case 0 -> randomJson(0).getBytes(StandardCharsets.UTF_8);
            case 1 -> {
                String field = FIELDS[random.nextInt(FIELDS.length)];
                yield ("{\"email\":{\"fromEmail\":\"from@example.com\",\"toEmail\":\"to@example.com\","
                                + "\"subject\":\"s\",\"body\":\"b\",\""
                                + field + "\":" + randomJson(1) + "}}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                String field = NOTIFICATION_FIELDS[random.nextInt(NOTIFICATION_FIELDS.length)];
                yield ("{\"to\":\"mailto:a@example.com\",\"title\":\"t\",\"text\":\"x\",\"" + field + "\":"
                                + randomJson(1) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                String valid = validBody(path);
                yield valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8); // truncated
            }
            case 4 ->
                (validBody(path)
                                + List.of(" {}", "garbage", ",", "]", " {\"email\":{}}")
                                        .get(random.nextInt(5)))
                        .getBytes(StandardCharsets.UTF_8);
            default ->
                ("{\"email\":" + "[".repeat(random.nextInt(5000)) + "}")
                        .getBytes(StandardCharsets.UTF_8); // deep nesting
        };
    }

    private String randomJson(int depth) {
        int pick = random.nextInt(depth > 4 ? 5 : 8);
        return switch (pick) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 ->
                List.of("0", "-1", "1e999", "-0.0", "123456789012345678901234567890", "NaN", "0x10")
                        .get(random.nextInt(7));
            case 3 -> quote(randomText(random.nextInt(40)));
            case 4 ->
                quote(List.of(
                                "",
                                " ",
                                "a@b",
                                "to@EXAMPLE.COM",
                                "user@xn--bcher-kva.example",
                                "user@bücher.example",
                                "a\r\nBcc: victim@example.com",
                                "x@y.z\u0000",
                                "mailto:,,,",
                                "telegram:abc,msteams:",
                                "\u202Eevil@example.com")
                        .get(random.nextInt(11)));
            case 5 -> "[" + String.join(",", repeat(() -> randomJson(depth + 1), random.nextInt(4))) + "]";
            case 6 ->
                "{"
                        + String.join(
                                ",",
                                repeat(() -> quote(randomText(5)) + ":" + randomJson(depth + 1), random.nextInt(4)))
                        + "}";
            default -> "{\"email\":" + randomJson(depth + 1) + "}";
        };
    }

    private byte[] size() {
        String path = path();
        int target = switch (random.nextInt(4)) {
            case 0 -> maxBodyBytes - 50 - random.nextInt(100); // just under the limit
            case 1 -> maxBodyBytes;
            case 2 -> maxBodyBytes + 1 + random.nextInt(1000); // just over
            default -> maxBodyBytes * (2 + random.nextInt(6)); // far over
        };
        String filler = "x".repeat(Math.max(0, target - 120));
        String body = path.equals("/email/send")
                ? "{\"email\":{\"fromEmail\":\"from@example.com\",\"toEmail\":\"to@example.com\","
                        + "\"subject\":\"big\",\"body\":\"" + filler + "\"}}"
                : "{\"to\":\"mailto:to@example.com\",\"title\":\"big\",\"text\":\"" + filler + "\"}";
        boolean chunked = random.nextBoolean();
        return chunked
                ? chunkedPost(path, body.getBytes(StandardCharsets.UTF_8))
                : post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Invalid UTF-8, NUL, lone surrogates, a BOM, UTF-16: inside otherwise valid bodies. */
    private byte[] encoding() {
        byte[][] odd = {
            {(byte) 0xC3, (byte) 0x28},
            {(byte) 0xFF, (byte) 0xFE},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF},
            {0},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80},
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(5)) {
            case 0 -> {
                out.writeBytes(
                        "{\"email\":{\"fromEmail\":\"from@example.com\",\"toEmail\":\"to@example.com\",\"subject\":\""
                                .getBytes(StandardCharsets.UTF_8));
                out.writeBytes(odd[random.nextInt(odd.length)]);
                out.writeBytes("\",\"body\":\"b\"}}".getBytes(StandardCharsets.UTF_8));
            }
            case 1 ->
                out.writeBytes(("{\"to\":\"mailto:a@example.com\",\"title\":\"t\",\"text\":\""
                                + List.of("\\u0000", "\\ud800", "\\udfff\\ud800", "\\u0000\\r\\n", "\\uFFFF")
                                        .get(random.nextInt(5))
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            case 2 -> {
                out.write(0xEF);
                out.write(0xBB);
                out.write(0xBF);
                out.writeBytes(validBody(PATHS[0]).getBytes(StandardCharsets.UTF_8));
            }
            case 3 -> out.writeBytes(validBody(PATHS[0]).getBytes(StandardCharsets.UTF_16));
            default -> {
                byte[] valid = validBody(PATHS[1]).getBytes(StandardCharsets.UTF_8);
                valid[random.nextInt(valid.length)] = (byte) (0x80 + random.nextInt(128));
                out.writeBytes(valid);
            }
        }
        return out.toByteArray();
    }

    /** CR/LF where headers are built: in HTTP headers themselves, and in the fields that become mail headers. */
    private byte[] headerInjection() {
        String path = path();
        return switch (random.nextInt(4)) {
            case 0 ->
                post(
                        path,
                        "application/json",
                        ("{\"email\":{\"fromEmail\":\"from@example.com\",\"fromName\":\"Eve\\r\\nBcc: x@example.com\","
                                        + "\"toEmail\":\"to@example.com\",\"subject\":\""
                                        + List.of("a\\r\\nb", "a\\nb", "a\\rb", "\\r\\n\\r\\n<html>")
                                                .get(random.nextInt(4))
                                        + "\",\"body\":\"b\"}}")
                                .getBytes(StandardCharsets.UTF_8));
            case 1 ->
                post(
                        path,
                        "application/json",
                        ("{\"to\":\"mailto:a@example.com\",\"title\":\"x\\r\\nX-Injected: 1\",\"text\":\"t\","
                                        + "\"fromName\":\"a\\nb\"}")
                                .getBytes(StandardCharsets.UTF_8));
            case 2 ->
                request(
                        "POST",
                        path,
                        List.of("Content-Type: application/json", "X-Note: a\rb", "Idempotency-Key: k\nX: y"),
                        validBody(path).getBytes(StandardCharsets.UTF_8));
            default ->
                request(
                        "POST",
                        path,
                        List.of(
                                "Content-Type: application/json\r\nX-Smuggled: 1",
                                "Foo: \u0000bar",
                                "Bad Header: x",
                                ": empty-name"),
                        validBody(path).getBytes(StandardCharsets.UTF_8));
        };
    }

    private String contentType() {
        return List.of(
                        "",
                        "text/plain",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "application/json; charset=latin1",
                        "application/json;;;",
                        "application/xml",
                        "APPLICATION/JSON",
                        "application/json; charset=utf-16",
                        "x".repeat(9000))
                .get(random.nextInt(10));
    }

    private byte[] idempotencyKey() {
        String path = path();
        String key = switch (random.nextInt(7)) {
            case 0 -> "";
            case 1 -> "k".repeat(256 + random.nextInt(10_000));
            case 2 -> "key-\u00e9\u00e8";
            case 3 -> "key\u0001\u007f";
            case 4 -> "   ";
            case 5 -> "fuzz-shared-" + random.nextInt(3); // reused across cases, with different bodies: replay or 422
            default -> "fuzz-" + Long.toHexString(random.nextLong());
        };
        byte[] body = (random.nextBoolean() ? validBody(path) : "{\"email\":{}}").getBytes(StandardCharsets.UTF_8);
        return request("POST", path, List.of("Content-Type: application/json", "Idempotency-Key: " + key), body);
    }

    private byte[] methodPath() {
        String method = List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO")
                .get(random.nextInt(8));
        String path = List.of(
                        "/email/send",
                        "/v1/notifications",
                        "/v1/notifications/%00",
                        "/v1/notifications/../../etc/passwd",
                        "/v1/notifications/" + "a".repeat(5000),
                        "/email/send?x=" + "%ff".repeat(50),
                        "/%2e%2e/",
                        "//email//send",
                        "/v1/notifications/not-an-id")
                .get(random.nextInt(9));
        return request(
                method,
                path,
                List.of("Content-Type: application/json"),
                validBody(PATHS[0]).getBytes(StandardCharsets.UTF_8));
    }

    /** Lies about the length, broken chunking, both length and chunking, HTTP/1.0, a missing Host. */
    private byte[] framing() {
        String path = path();
        byte[] body = validBody(path).getBytes(StandardCharsets.UTF_8);
        String text = new String(body, StandardCharsets.UTF_8);
        String raw = switch (random.nextInt(6)) {
            case 0 ->
                "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + (body.length + 50) + "\r\nConnection: close\r\n\r\n" + text;
            case 1 ->
                "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + (body.length / 2) + "\r\nConnection: close\r\n\r\n" + text;
            case 2 ->
                "POST " + path
                        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\nzz\r\n" + text + "\r\n0\r\n\r\n";
            case 3 ->
                "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + Integer.toHexString(body.length) + "\r\n" + text + "\r\n0\r\n\r\n";
            case 4 ->
                "POST " + path + " HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n" + text;
            default ->
                "POST " + path + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + "-1\r\nConnection: close\r\n\r\n" + text;
        };
        return raw.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] post(String path, String contentType, byte[] body) {
        return request("POST", path, contentType.isEmpty() ? List.of() : List.of("Content-Type: " + contentType), body);
    }

    private static byte[] chunkedPost(String path, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < body.length; i += 16_384) {
            int n = Math.min(16_384, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Header lines are written as UTF-8 bytes, whatever they hold. */
    private static byte[] request(String method, String path, List<String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head =
                new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append(String.format(Locale.ROOT, "Content-Length: %d\r\nConnection: close\r\n\r\n", body.length));
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private String randomText(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            s.appendCodePoint(
                    switch (kind) {
                        case 0 -> random.nextInt(0x20); // control characters, CR/LF, NUL
                        case 1 -> 0x80 + random.nextInt(0x780); // Latin and more
                        case 2 -> 0x1F300 + random.nextInt(0x300); // emoji (surrogate pairs)
                        case 3 -> '"';
                        case 4 -> '\\';
                        default -> 0x20 + random.nextInt(0x5F);
                    });
        }
        return s.toString();
    }

    /** A JSON string literal for {@code s} (escaping what JSON requires; everything else raw UTF-8). */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static List<String> repeat(java.util.function.Supplier<String> item, int times) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.add(item.get());
        }
        return out;
    }
}
