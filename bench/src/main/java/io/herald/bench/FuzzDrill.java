package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Mailprog;
import io.herald.mailprog.Shim;
import io.herald.mailprog.forward.Forwarder;
import io.herald.mailprog.forward.PassResult;
import io.herald.mailprog.forward.SqsSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Drill 6: malformed input, generated from a seed, against the API (in its own JVM, as in the api drill, with the
 * DynamoDB Local store) and against herald-mailprog plus the forwarder. What must hold: no 5xx, no crash, nothing lost
 * — every message the API accepted is on SQS (or its dead-letter queue), and every record the shim spooled (exit 0) was
 * forwarded to SQS or set aside in failed/ with a reason. Since issue 15 also: no answer over 64 KiB, every case that
 * must be refused refused (look-alike senders, addresses in display names), an empty from answered like no from, slow
 * uploads not growing the live heap, and the chat providers sending nothing that notifies a channel or links elsewhere,
 * and no credential in any reason.
 */
public final class FuzzDrill implements Drill {

    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public String description() {
        return "seeded malformed input: HTTP requests against the API (JSON shapes, sizes over the limit, invalid "
                + "UTF-8 and NUL, CR/LF injection, content types, Idempotency-Key abuse, framing; issue 15: many "
                + "receivers and commas, sender bypasses and look-alike domains on a restricted key, display-name "
                + "addresses, mention/link tricks), slow uploads (live heap), trick content through every chat "
                + "provider against echoing fakes, and argv/env shapes against herald-mailprog + forwarder; counts "
                + "5xx, crashes, lost, wrong answers, answers over 64 KiB, unsafe payloads, leaked credentials (all "
                + "must be 0); "
                + "--api-cases 960 --slow-uploads 300 --provider-cases 60 --shim-cases 100 [--seed N], ~2 min";
    }

    @Override
    // The figures are Integer or Long read from Map<String, Object>: Error Prone cannot see that %d fits them.
    @SuppressWarnings("FormatString")
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(
                name(),
                context.args(),
                Set.of("--seed", "--api-cases", "--shim-cases", "--slow-uploads", "--provider-cases"));
        int apiCases = options.intOption("--api-cases", 960, 0);
        int shimCases = options.intOption("--shim-cases", 100, 0);
        int slowUploads = options.intOption("--slow-uploads", 300, 0);
        int providerCases = options.intOption("--provider-cases", 60, 0);
        long seed = seed(options.given().get("--seed"));
        PrintStream progress = context.progress();
        progress.printf(
                Locale.ROOT, "fuzz: seed %d (the same cases again: ./herald bench fuzz --seed %d)%n", seed, seed);

        Map<String, Object> figures = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        figures.put("seed", Long.toString(seed));
        Map<String, Object> api = fuzzApi(seed, apiCases, slowUploads, progress, violations);
        progress.printf("fuzz: %d trick messages through each chat provider against echoing fakes%n", providerCases);
        Map<String, Map<String, Long>> providers = new ProviderFuzz().run(seed, providerCases, violations);
        Map<String, Object> shim = fuzzShim(seed, shimCases, progress, violations);
        figures.put("api", api);
        figures.put("providers", providers);
        figures.put("shim", shim);
        figures.put(DrillResult.VIOLATIONS, violations);

        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "Fuzz, seed %d: malformed input against the API and herald-mailprog + forwarder (5xx,"
                        + " crashes and lost must be 0)%n"
                        + "| target | kind | tried | 2xx | 4xx | 5xx | no answer | crashes | lost | largest answer "
                        + "| wrong answers |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|%n",
                seed));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> byKind = (Map<String, Map<String, Long>>) api.get("byKind");
        byKind.forEach((kind, c) -> table.append(String.format(
                Locale.ROOT,
                "| API | %s | %d | %d | %d | %d | %d | | | %s | %d |%n",
                kind,
                c.get("tried"),
                c.get("2xx"),
                c.get("4xx"),
                c.get("5xx"),
                c.get("noAnswer"),
                bytes(c.get("maxAnswerBytes")),
                c.get("wrong"))));
        table.append(String.format(
                Locale.ROOT,
                "| API | all | %d | %d | %d | %d | %d | %d | %d | %s | %d |%n",
                api.get("tried"),
                api.get("2xx"),
                api.get("4xx"),
                api.get("5xx"),
                api.get("noAnswer"),
                api.get("crashes"),
                api.get("lost"),
                bytes((Long) api.get("maxAnswerBytes")),
                api.get("wrong")));
        table.append(String.format(
                Locale.ROOT,
                "| API | slow uploads | %s | | | | | | | live heap %s → %s MiB, %s closed by the server, "
                        + "a normal request meanwhile: %s | |%n",
                api.get("slowUploads"),
                api.get("liveHeapBeforeSlowMiB"),
                api.get("liveHeapWithSlowMiB"),
                api.get("slowClosedByServer"),
                api.get("requestDuringSlow")));
        table.append(String.format(
                Locale.ROOT,
                "| API | live heap | | | | | | | | %s MiB at start, %s MiB after the cases | |%n",
                api.get("liveHeapStartMiB"),
                api.get("liveHeapAfterCasesMiB")));
        providers.forEach((provider, c) -> table.append(String.format(
                Locale.ROOT,
                "| provider | %s | %d | | | | | | | unsafe payloads %d, credential in a reason %d | %d |%n",
                provider,
                c.get("sent"),
                c.get("unsafePayloads"),
                c.get("leakedReasons"),
                c.get("unsafePayloads") + c.get("leakedReasons"))));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> shimKinds = (Map<String, Map<String, Long>>) shim.get("byKind");
        shimKinds.forEach((kind, c) -> table.append(String.format(
                Locale.ROOT,
                "| shim | %s | %d | exit 0: %d | exit 75: %d | | | %d | | | |%n",
                kind,
                c.get("tried"),
                c.get("exit0"),
                c.get("exit75"),
                c.get("crashes"))));
        table.append(String.format(
                Locale.ROOT,
                "| shim + forwarder | all | %d | exit 0: %d (forwarded %d, failed/ %d) | exit 75: %d | | | %d | %d "
                        + "| | |%n",
                shim.get("tried"),
                shim.get("exit0"),
                shim.get("forwarded"),
                shim.get("deadLettered"),
                shim.get("exit75"),
                shim.get("crashes"),
                shim.get("lost")));
        return new DrillResult(figures, table.toString(), List.of());
    }

    private static long seed(String given) {
        if (given == null) {
            return new SecureRandom().nextLong();
        }
        try {
            return Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw new BadDrillArgumentException("fuzz: --seed needs a whole number, got '" + given + "'");
        }
    }

    /** The largest answer the API may give: a refusal says what was wrong, it does not echo the input back. */
    static final long MAX_ANSWER_BYTES = 64 * 1024;
    /** How much a few hundred slow uploads may add to the API's live heap (each announces a full body). */
    static final double MAX_SLOW_UPLOAD_GROWTH_MIB = 32;

    private Map<String, Object> fuzzApi(
            long seed, int count, int slowUploads, PrintStream progress, List<String> violations) throws Exception {
        Map<String, Map<String, Long>> byKind = new TreeMap<>();
        Set<String> accepted = new HashSet<>();
        List<String> serverErrors = new ArrayList<>();
        List<String> wrongAnswers = new ArrayList<>();
        Map<ApiFuzzCases.Expect, Set<Integer>> fromClasses = new TreeMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        long tried = 0;
        long maxAnswer = 0;
        boolean crashed;
        Set<String> onSqs;
        progress.println("fuzz: starting the API with ElasticMQ and DynamoDB Local in a child JVM");
        try (ChildJvm child =
                ChildJvm.start(ApiStackMain.class, List.of(), List.of("store", "keyed"), Duration.ofSeconds(90))) {
            ApiStackMain.Stack stack = new ObjectMapper().readValue(child.readyLine(), ApiStackMain.Stack.class);
            ApiStackMain.Variant variant = stack.variants().get("store");
            Map<String, RawHttp> http = Map.of(
                    "store",
                    new RawHttp(variant.port(), 15_000),
                    "keyed",
                    new RawHttp(stack.variants().get("keyed").port(), 15_000));
            out.put("liveHeapStartMiB", mib(LiveHeap.mebibytes(child.pid())));
            int maxBody = HeraldConfig.defaults().api().maxBodyBytes();
            List<ApiFuzzCases.Case> cases = new ApiFuzzCases(seed, maxBody).generate(count);
            ObjectMapper json = new ObjectMapper();
            for (ApiFuzzCases.Case c : cases) {
                RawHttp.Answer answer = http.get(c.variant()).exchange(c.request());
                tried++;
                if (tried % 300 == 0) {
                    progress.printf("fuzz: %d of %d API requests%n", tried, cases.size());
                }
                Map<String, Long> counts = byKind.computeIfAbsent(
                        c.kind(), k -> newCounts("tried", "2xx", "4xx", "5xx", "noAnswer", "maxAnswerBytes", "wrong"));
                counts.merge("tried", 1L, Long::sum);
                if (!answer.answered()) {
                    counts.merge("noAnswer", 1L, Long::sum);
                    if (!child.alive()) {
                        break;
                    }
                    continue;
                }
                int klass = answer.status() / 100;
                counts.merge(klass == 2 ? "2xx" : klass == 5 ? "5xx" : "4xx", 1L, Long::sum);
                long size = answer.body().getBytes(StandardCharsets.ISO_8859_1).length;
                counts.merge("maxAnswerBytes", size, Math::max);
                maxAnswer = Math.max(maxAnswer, size);
                if (size > MAX_ANSWER_BYTES && wrongAnswers.size() < 10) {
                    wrongAnswers.add(c.kind() + ": a " + bytes(size) + " answer to a "
                            + bytes((long) c.request().length)
                            + " request");
                }
                String wrong = switch (c.expect()) {
                    case REFUSED -> klass == 2 ? "accepted what must be refused" : null;
                    case ACCEPTED -> klass != 2 ? "refused the key's own sender (" + answer.status() + ")" : null;
                    default -> null;
                };
                if (c.expect() == ApiFuzzCases.Expect.WITHOUT_FROM
                        || c.expect() == ApiFuzzCases.Expect.AS_WITHOUT_FROM) {
                    fromClasses
                            .computeIfAbsent(c.expect(), e -> new java.util.TreeSet<>())
                            .add(klass);
                }
                if (wrong != null || size > MAX_ANSWER_BYTES) {
                    counts.merge("wrong", 1L, Long::sum);
                    if (wrong != null && wrongAnswers.size() < 10) {
                        wrongAnswers.add(c.kind() + ": " + wrong + ": " + abbreviate(requestLine(c.request())));
                    }
                }
                if (klass == 5 && serverErrors.size() < 10) {
                    serverErrors.add(c.kind() + " -> " + answer.status() + " " + abbreviate(answer.body()));
                }
                if (klass == 2) {
                    collectIds(json, answer.body(), accepted);
                }
            }
            crashed = !child.alive();
            if (!crashed) {
                out.put("liveHeapAfterCasesMiB", mib(LiveHeap.mebibytes(child.pid())));
                slowUploads(child, variant.port(), slowUploads, maxBody, out, violations, progress);
                // Still serving: one ordinary request must work after all of that.
                RawHttp.Answer after = http.get("store").exchange(validEmailRequest());
                if (after.status() != 200) {
                    violations.add("after fuzzing, a valid POST /email/send got "
                            + (after.answered() ? after.status() : after.failure()));
                } else {
                    collectIds(json, after.body(), accepted);
                }
            }
            progress.println("fuzz: looking for every accepted message on SQS");
            onSqs = crashed
                    ? Set.of()
                    : envelopeIdsOn(
                            stack.sqsEndpoint(),
                            stack.variants().values().stream()
                                    .flatMap(v -> v.queues().stream())
                                    .toList());
        }
        long fiveXx = byKind.values().stream().mapToLong(c -> c.get("5xx")).sum();
        long noAnswer =
                byKind.values().stream().mapToLong(c -> c.get("noAnswer")).sum();
        long wrong = byKind.values().stream().mapToLong(c -> c.get("wrong")).sum();
        Set<String> lost = new HashSet<>(accepted);
        lost.removeAll(onSqs);
        if (fiveXx > 0) {
            violations.add(fiveXx + " API answers were 5xx: " + String.join("; ", serverErrors));
        }
        if (crashed) {
            violations.add("the API process died during fuzzing");
        }
        if (!lost.isEmpty()) {
            violations.add(lost.size() + " of " + accepted.size() + " messages the API accepted are not on SQS");
        }
        if (wrong > 0) {
            violations.add(wrong + " API answers were wrong (over " + bytes(MAX_ANSWER_BYTES)
                    + ", or a refusal missing): "
                    + String.join("; ", wrongAnswers));
        }
        Set<Integer> withoutFrom = fromClasses.getOrDefault(ApiFuzzCases.Expect.WITHOUT_FROM, Set.of());
        Set<Integer> emptyFrom = fromClasses.getOrDefault(ApiFuzzCases.Expect.AS_WITHOUT_FROM, Set.of());
        if (!withoutFrom.isEmpty() && !emptyFrom.isEmpty() && !withoutFrom.equals(emptyFrom)) {
            violations.add("an empty from is answered unlike no from (status classes " + emptyFrom + "xx vs "
                    + withoutFrom
                    + "xx): the sender check can be skipped");
        }
        out.put("tried", tried);
        out.put("2xx", byKind.values().stream().mapToLong(c -> c.get("2xx")).sum());
        out.put("4xx", byKind.values().stream().mapToLong(c -> c.get("4xx")).sum());
        out.put("5xx", fiveXx);
        out.put("noAnswer", noAnswer);
        out.put("crashes", crashed ? 1 : 0);
        out.put("accepted", accepted.size());
        out.put("onSqs", accepted.size() - lost.size());
        out.put("lost", lost.size());
        out.put("maxAnswerBytes", maxAnswer);
        out.put("wrong", wrong);
        out.put("wrongAnswers", wrongAnswers);
        out.put("serverErrors", serverErrors);
        out.put("byKind", byKind);
        return out;
    }

    /**
     * Holds {@code connections} uploads that announce a full body and send a few bytes, then looks at the API's live
     * heap and whether an ordinary request still gets through.
     */
    private static void slowUploads(
            ChildJvm child,
            int port,
            int connections,
            int maxBody,
            Map<String, Object> out,
            List<String> violations,
            PrintStream progress)
            throws IOException {
        out.put("slowUploads", connections);
        if (connections == 0) {
            return;
        }
        progress.printf("fuzz: %d slow uploads, each announcing %s%n", connections, bytes((long) maxBody));
        double before = LiveHeap.mebibytes(child.pid());
        try (SlowUploads slow = new SlowUploads(port, connections, maxBody)) {
            // Give the server the time a slow client takes anyway before looking.
            long t0 = System.nanoTime();
            RawHttp.Answer during = new RawHttp(port, 10_000).exchange(validEmailRequest());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            double with = LiveHeap.mebibytes(child.pid());
            out.put("slowUploadsOpened", slow.opened());
            out.put("liveHeapBeforeSlowMiB", mib(before));
            out.put("liveHeapWithSlowMiB", mib(with));
            out.put("slowClosedByServer", slow.closedByServer());
            out.put(
                    "requestDuringSlow",
                    during.answered() ? during.status() + " in " + millis + " ms" : during.failure());
            if (with - before > MAX_SLOW_UPLOAD_GROWTH_MIB) {
                violations.add(slow.opened() + " slow uploads grew the API's live heap from " + mib(before) + " to "
                        + mib(with)
                        + " MiB (the body buffer follows the declared length, not the bytes that came)");
            }
            if (during.status() / 100 != 2) {
                violations.add("while " + slow.opened() + " uploads were slow, a normal request got "
                        + (during.answered() ? during.status() : during.failure()));
            }
        }
    }

    private static byte[] validEmailRequest() {
        byte[] valid = ("{\"email\":{\"fromEmail\":\"a@example.com\",\"toEmail\":\"b@example.com\","
                        + "\"subject\":\"s\",\"body\":\"after\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return concat(
                ("POST /email/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + "Content-Length: "
                                + valid.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                valid);
    }

    private static String requestLine(byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        int body = text.indexOf("\r\n\r\n");
        return text.substring(0, Math.max(0, text.indexOf('\r'))) + " " + (body < 0 ? "" : text.substring(body + 4));
    }

    private static String mib(double value) {
        return Double.isNaN(value) ? "?" : String.format(Locale.ROOT, "%.1f", value);
    }

    static String bytes(Long n) {
        if (n == null) {
            return "";
        }
        return n >= 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0)
                : n >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0) : n + " B";
    }

    private static void collectIds(ObjectMapper json, String body, Set<String> ids) {
        try {
            JsonNode reply = json.readTree(body);
            if (reply.hasNonNull("messageId")) {
                ids.add(reply.get("messageId").asText());
            }
            reply.path("notifications").forEach(n -> ids.add(n.path("id").asText()));
        } catch (IOException notJson) {
            // a 2xx that is not JSON carries no id to look for
        }
    }

    /** Every envelope id on the queues and their dead-letter queues (received, not deleted). */
    private static Set<String> envelopeIdsOn(String endpoint, List<QueueRef> queues) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        Set<String> ids = new HashSet<>();
        try (SqsClient sqs = SqsClients.create(new HeraldConfig.Sqs(
                endpoint,
                d.region(),
                List.of(),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                d.visibilityTimeout(),
                d.maxConnections()))) {
            for (QueueRef q : queues) {
                for (String url : List.of(q.url(), q.deadLetterUrl())) {
                    QueuePeek.envelopes(sqs, url).forEach(e -> ids.add(e.id()));
                }
            }
        }
        return ids;
    }

    private Map<String, Object> fuzzShim(long seed, int count, PrintStream progress, List<String> violations)
            throws Exception {
        try (ScratchDir scratch = new ScratchDir("herald-bench-fuzz")) {
            return fuzzShim(seed, count, progress, violations, scratch.path());
        }
    }

    private Map<String, Object> fuzzShim(long seed, int count, PrintStream progress, List<String> violations, Path work)
            throws Exception {
        Shim shim = Shim.install(Files.createDirectories(work.resolve("bin")), work.resolve("spool"));
        Fixtures.Case end = Fixtures.caseNamed("end-completed");
        List<ShimFuzzCases.Case> cases =
                new ShimFuzzCases(seed, end.env(), end.args().get(1)).generate(count);
        Map<String, Map<String, Long>> byKind = new TreeMap<>();
        List<String> crashes = new ArrayList<>();
        long exit0 = 0;
        long exit75 = 0;
        progress.printf("fuzz: %d odd invocations of herald-mailprog%n", cases.size());
        for (ShimFuzzCases.Case c : cases) {
            Shim.Result r = shim.runBytes(c.args(), c.env());
            Map<String, Long> counts =
                    byKind.computeIfAbsent(c.kind(), k -> newCounts("tried", "exit0", "exit75", "crashes"));
            counts.merge("tried", 1L, Long::sum);
            switch (r.exitCode()) {
                case 0 -> {
                    exit0++;
                    counts.merge("exit0", 1L, Long::sum);
                }
                case 75 -> {
                    exit75++;
                    counts.merge("exit75", 1L, Long::sum);
                }
                default -> {
                    counts.merge("crashes", 1L, Long::sum);
                    if (crashes.size() < 10) {
                        crashes.add(c.kind() + ": exit " + r.exitCode() + " " + abbreviate(r.stderr()));
                    }
                }
            }
        }
        long spooled = MailprogDrill.count(shim.spool().resolve("new"));
        long forwarded = 0;
        long forwarderCrashes = 0;
        progress.println("fuzz: forwarding what was spooled (herald mailprog flush)");
        try (LocalSqs local = new LocalSqs()) {
            HeraldConfig defaults = HeraldConfig.defaults();
            HeraldConfig.Sqs sqsConfig =
                    local.config("fuzz-slurm", defaults.sqs().visibilityTimeout());
            HeraldConfig config = defaults.withSqs(sqsConfig)
                    .withMailprog(defaults.mailprog()
                            .withSpoolDir(shim.spool().toString())
                            .withSacct("", 1, Duration.ZERO)
                            .withReceivers("example.org", List.of()));
            SqsClient sqs = local.client();
            local.provision(sqsConfig);
            try (Forwarder forwarder = Mailprog.forwarder(
                    config,
                    new SqsSink(sqs, sqsConfig, new SqsProducer(sqs, new EnvelopeCodec())),
                    Clock.systemUTC())) {
                for (int pass = 0; pass < 5; pass++) {
                    try {
                        PassResult result = forwarder.pass(true);
                        forwarded += result.delivered();
                        if (result.waiting() == 0 && result.held() == 0) {
                            break;
                        }
                    } catch (RuntimeException e) {
                        forwarderCrashes++;
                        crashes.add("forwarder pass threw " + e);
                    }
                }
            }
        }
        long deadLettered = MailprogDrill.records(shim.spool().resolve("failed"));
        long withoutReason;
        try (var files = Files.list(shim.spool().resolve("failed"))) {
            withoutReason = files.filter(f -> !f.getFileName().toString().endsWith(".reason"))
                    .filter(f -> !Files.exists(f.resolveSibling(f.getFileName() + ".reason")))
                    .count();
        } catch (IOException noFailedDir) {
            withoutReason = 0;
        }
        long remaining = MailprogDrill.count(shim.spool().resolve("new"));
        long lost = Math.max(0, exit0 - forwarded - deadLettered - remaining) + remaining;
        long shimCrashes =
                byKind.values().stream().mapToLong(c -> c.get("crashes")).sum();
        if (shimCrashes + forwarderCrashes > 0) {
            violations.add((shimCrashes + forwarderCrashes) + " shim/forwarder crashes: " + String.join("; ", crashes));
        }
        if (spooled != exit0) {
            violations.add("herald-mailprog exited 0 " + exit0 + " times but " + spooled + " records were spooled");
        }
        if (lost > 0) {
            violations.add(lost + " of " + exit0 + " spooled records were neither forwarded nor set aside in failed/");
        }
        if (withoutReason > 0) {
            violations.add(withoutReason + " records in failed/ have no .reason beside them");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tried", (long) cases.size());
        out.put("exit0", exit0);
        out.put("exit75", exit75);
        out.put("crashes", shimCrashes + forwarderCrashes);
        out.put("forwarded", forwarded);
        out.put("deadLettered", deadLettered);
        out.put("lost", lost);
        out.put("crashDetails", crashes);
        out.put("byKind", byKind);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Map<String, Long> newCounts(String... names) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String n : names) {
            counts.put(n, 0L);
        }
        return counts;
    }

    private static String abbreviate(String s) {
        String line = s.replace('\n', ' ').replace('\r', ' ').strip();
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
