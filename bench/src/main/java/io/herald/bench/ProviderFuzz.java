package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.Secret;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.core.envelope.Origin;
import io.herald.core.provider.discord.DiscordConfig;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.core.provider.mattermost.MattermostConfig;
import io.herald.core.provider.msteams.TeamsConfig;
import io.herald.core.provider.slack.SlackConfig;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.discord.DiscordProvider;
import io.herald.pipeline.provider.http.HttpProvider;
import io.herald.pipeline.provider.matrix.MatrixProvider;
import io.herald.pipeline.provider.mattermost.MattermostProvider;
import io.herald.pipeline.provider.msteams.TeamsProvider;
import io.herald.pipeline.provider.slack.SlackProvider;
import io.herald.pipeline.provider.telegram.TelegramProvider;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fuzz drill's provider phase: every chat provider class renders seeded trick content ({@link ContentTricks}) and
 * sends it to an in-process fake of its API on 127.0.0.1. Half the sends are accepted, and the payload is checked for
 * what would notify a whole channel or show a disguised link; the other half are refused with an answer that echoes the
 * request (the URL, URL-encoded in upper and lower case, JSON-escaped, the credential raw and base64) and the outcome's
 * reason is checked for the provider's credential in any of those forms.
 */
final class ProviderFuzz {

    private static final String TELEGRAM_TOKEN = "123456789:AAH-fuzzBotToken_xyz-0123456789abcd";
    private static final String WEBHOOK_KEY = "fuzzWebhookSecretKey0123456789";
    private static final String TEAMS_SIG = "fuzzTeamsSignature0123456789abc";
    private static final String MATRIX_TOKEN = "syt_ZnV6emJvdA_fuzzAccessToken_9z8y7x";

    /** Mentions as Mattermost's parser, Telegram and Matrix's legacy rule would see them, after Markdown escapes. */
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}])@[\\p{L}\\p{N}]");

    private static final Pattern UNESCAPED_LINK = Pattern.compile("(?<!\\\\)\\]\\(");
    private static final Pattern BACKSLASH_ESCAPE = Pattern.compile("\\\\(\\p{Punct})");

    /** One provider: how to build it on the fake's base URL, its target, its secret, its payload check. */
    private record Subject(
            String name,
            Function<String, HttpProvider> build,
            String target,
            String secret,
            Predicate<JsonNode> payloadSafe) {}

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<String> mode = new AtomicReference<>("accept");
    private final AtomicReference<String> lastBody = new AtomicReference<>("");
    private int echoForm;

    /** @return per provider: sent, unsafe payloads, leaked reasons; violations are added to the list */
    Map<String, Map<String, Long>> run(long seed, int casesPerProvider, List<String> violations) {
        Random random = new Random(seed);
        Map<String, Map<String, Long>> byProvider = new LinkedHashMap<>();
        Javalin fake = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.jetty.host = "127.0.0.1";
                    config.jetty.port = 0;
                    config.routes.post("/*", this::answer);
                    config.routes.put("/*", this::answer);
                })
                .start();
        try {
            String base = "http://127.0.0.1:" + fake.port();
            for (Subject subject : subjects()) {
                long sent = 0;
                long unsafe = 0;
                long leaked = 0;
                try (HttpProvider provider = subject.build().apply(base)) {
                    for (int i = 0; i < casesPerProvider; i++) {
                        boolean refuse = i % 2 == 1;
                        mode.set(refuse ? "refuse" : "accept");
                        Outcome outcome = provider.send(envelope(subject, random));
                        sent++;
                        if (!refuse) {
                            JsonNode payload = parse(lastBody.get());
                            if (!subject.payloadSafe().test(payload)) {
                                unsafe++;
                                if (unsafe == 1) {
                                    violations.add(subject.name() + " sent caller text that notifies or links: "
                                            + abbreviate(payload.toString()));
                                }
                            }
                        } else if (leaks(outcome.toString(), subject.secret())) {
                            leaked++;
                            if (leaked == 1) {
                                violations.add(subject.name() + " put its credential in a reason (echo form " + echoForm
                                        + ")");
                            }
                        }
                    }
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                counts.put("sent", sent);
                counts.put("unsafePayloads", unsafe);
                counts.put("leakedReasons", leaked);
                byProvider.put(subject.name(), counts);
            }
        } finally {
            fake.stop();
        }
        return byProvider;
    }

    private Envelope envelope(Subject subject, Random random) {
        Content content = Content.of(
                        ContentTricks.text(random), ContentTricks.text(random) + "\n\n" + ContentTricks.text(random))
                .withFacts(List.of(new Fact(ContentTricks.text(random), ContentTricks.text(random))))
                .withHints(List.of(ContentTricks.text(random)))
                .withLinks(List.of(new Link(ContentTricks.text(random), "https://hpc.example.org/jobs/42")));
        return Envelope.create(subject.name(), subject.target(), content, Origin.api("fuzz"), Instant.now());
    }

    private void answer(Context ctx) {
        lastBody.set(ctx.body());
        if (mode.get().equals("accept")) {
            ctx.status(200)
                    .contentType("application/json")
                    .result("{\"ok\":true,\"result\":{\"message_id\":1},\"event_id\":\"$e\",\"id\":\"1\"}");
            return;
        }
        String url = ctx.fullUrl();
        String authorization = ctx.header("Authorization") == null ? "" : ctx.header("Authorization");
        String credential = authorization.isEmpty()
                ? Stream.of(ctx.path().split("/"))
                        .max(Comparator.comparingInt(String::length))
                        .orElse("")
                : authorization.substring(authorization.indexOf(' ') + 1);
        echoForm = (echoForm + 1) % 6;
        String echo = switch (echoForm) {
            case 0 -> "POST " + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            case 1 -> URLEncoder.encode(url, StandardCharsets.UTF_8);
            case 2 -> lowerHex(URLEncoder.encode(url, StandardCharsets.UTF_8));
            case 3 -> url.replace("/", "\\/");
            case 4 -> "Authorization: " + authorization + " " + credential;
            default -> Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("description", "Bad Request: " + echo);
        body.put("message", echo);
        body.put("error", echo);
        body.put("errcode", "M_BAD_JSON");
        body.put("id", "web.incoming_webhook.channel.app_error");
        body.put("code", 50035);
        try {
            ctx.status(400).contentType("application/json").result(json.writeValueAsString(body));
        } catch (Exception e) {
            ctx.status(400).result(echo);
        }
    }

    private List<Subject> subjects() {
        Duration t = Duration.ofSeconds(2);
        Duration s = Duration.ofSeconds(1);
        Clock clock = Clock.systemUTC();
        return List.of(
                new Subject(
                        "mattermost",
                        base -> new MattermostProvider(
                                new MattermostConfig(
                                        true, 1, t, 100_000, s, "", Secret.of(base + "/hooks/" + WEBHOOK_KEY)),
                                clock),
                        "town-square",
                        WEBHOOK_KEY,
                        p -> noMention(unescaped(p.path("text").asText()))),
                new Subject(
                        "slack",
                        base -> new SlackProvider(
                                new SlackConfig(
                                        true, 1, t, 100_000, s, "", Secret.of(base + "/services/T0/B0/" + WEBHOOK_KEY)),
                                clock),
                        "x",
                        WEBHOOK_KEY,
                        this::slackSafe),
                new Subject(
                        "matrix",
                        base -> new MatrixProvider(
                                new MatrixConfig(true, 1, t, 100_000, s, "", base, Secret.of(MATRIX_TOKEN)), clock),
                        "!room:example.org",
                        MATRIX_TOKEN,
                        p -> p.path("m.mentions").isObject()
                                && p.path("m.mentions").isEmpty()
                                && !p.path("body")
                                        .asText()
                                        .toLowerCase(Locale.ROOT)
                                        .contains("@room")),
                new Subject(
                        "telegram",
                        base -> new TelegramProvider(
                                new TelegramConfig(
                                        true, 1, t, 100_000, s, "", base, Secret.of(TELEGRAM_TOKEN), Duration.ZERO),
                                clock),
                        "-100123",
                        TELEGRAM_TOKEN,
                        p -> noMention(p.path("text").asText())),
                new Subject(
                        "msteams",
                        base -> new TeamsProvider(
                                new TeamsConfig(
                                        true,
                                        1,
                                        t,
                                        100_000,
                                        s,
                                        "",
                                        Secret.of(base + "/workflows/a/triggers/manual/paths/invoke?api-version=1&sig="
                                                + TEAMS_SIG)),
                                clock),
                        "x",
                        TEAMS_SIG,
                        this::teamsSafe),
                new Subject(
                        "discord",
                        base -> new DiscordProvider(
                                new DiscordConfig(
                                        true, 1, t, 100_000, s, "", Secret.of(base + "/api/webhooks/1/" + WEBHOOK_KEY)),
                                clock),
                        "x",
                        WEBHOOK_KEY,
                        p -> p.path("allowed_mentions").path("parse").isArray()
                                && p.path("allowed_mentions").path("parse").isEmpty()));
    }

    private boolean slackSafe(JsonNode payload) {
        List<String> texts = new ArrayList<>(List.of(payload.path("text").asText()));
        boolean verbatim = true;
        for (JsonNode n : payload.findParents("type")) {
            if ("mrkdwn".equals(n.path("type").asText())) {
                texts.add(n.path("text").asText());
                verbatim &= n.path("verbatim").asBoolean(false);
            }
        }
        // Herald's own link to the job is the one "<https://…|…>" allowed.
        return verbatim
                && texts.stream()
                        .map(t -> t.replace("<https://hpc.example.org/jobs/42|", ""))
                        .noneMatch(t -> t.contains("<!") || t.contains("<@") || t.contains("<http") || !noMention(t));
    }

    private boolean teamsSafe(JsonNode message) {
        JsonNode card = message.path("attachments").path(0).path("content");
        List<String> texts = new ArrayList<>();
        card.path("body").forEach(b -> texts.add(b.path("text").asText()));
        card.path("body")
                .forEach(b -> b.path("facts").forEach(f -> {
                    texts.add(f.path("title").asText());
                    texts.add(f.path("value").asText());
                }));
        List<String> urls = new ArrayList<>();
        card.path("actions").forEach(a -> urls.add(a.path("url").asText()));
        // Button titles are plain text; what matters is that the only link targets are Herald's.
        return texts.stream().noneMatch(t -> UNESCAPED_LINK.matcher(t).find())
                && urls.stream().allMatch(u -> u.equals("https://hpc.example.org/jobs/42"));
    }

    private static boolean noMention(String text) {
        return !MENTION.matcher(text).find();
    }

    private static String unescaped(String markdown) {
        return BACKSLASH_ESCAPE.matcher(markdown).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)));
    }

    private static boolean leaks(String reason, String secret) {
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return Stream.of(
                        secret,
                        encoded,
                        lowerHex(encoded),
                        secret.replace("/", "\\/"),
                        Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                        secret.substring(4, secret.length() - 4))
                .anyMatch(reason::contains);
    }

    private static String lowerHex(String encoded) {
        return Pattern.compile("%[0-9A-F]{2}")
                .matcher(encoded)
                .replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
