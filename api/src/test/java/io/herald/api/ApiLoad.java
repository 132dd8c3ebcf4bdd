package io.herald.api;

import io.herald.core.config.HeraldConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A load generator for the API on loopback, not a test: {@code POST /email/send} at a fixed
 * concurrency (each client sends its next request when the last was answered, over keep-alive
 * connections) against an API backed by the embedded SQS and DynamoDB, as in local mode.
 *
 * <p>Run from the api module after {@code mvn test-compile}:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.herald.api.ApiLoad 1,16,64 10 2 4}
 * (concurrencies, seconds per run, api.batchWait in ms, SQS calls in flight, optionally {@code nostatus}
 * to leave the status store out). Prints requests/s, p50/p99 latency and SendMessageBatch calls per request.
 */
public final class ApiLoad {

    private ApiLoad() {
    }

    public static void main(String[] args) throws Exception {
        int[] concurrencies = Arrays.stream((args.length > 0 ? args[0] : "1,16,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration run = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Duration wait = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 2);
        try (ApiTestbed bed = new ApiTestbed()) {
            int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : HeraldApi.DEFAULT_SQS_CALLS_IN_FLIGHT;
            boolean withStatus = args.length <= 4 || !"nostatus".equals(args[4]);
            HeraldApi api = bed.start(ApiTestbed.DEFAULT_API.withBatchWait(wait), bed.freshQueues(2),
                    b -> withStatus ? b.maxSqsCallsInFlight(inFlight) : b.maxSqsCallsInFlight(inFlight).statusStore(new io.herald.core.status.StatusStore() {
                        @Override
                        public void record(io.herald.core.status.StatusUpdate update) {
                        }

                        @Override
                        public java.util.Optional<io.herald.core.status.StatusUpdate> find(String id) {
                            return java.util.Optional.empty();
                        }
                    }));
            String body = bed.validEmail();
            URI uri = ApiTestbed.uri(api, "/email/send");
            System.out.printf("%-11s %10s %9s %9s %9s %12s%n", "concurrency", "req/s", "p50 ms", "p99 ms", "errors", "SQS calls/req");
            for (int concurrency : concurrencies) {
                // A short warm-up at the same concurrency, so the JIT and the connections are ready.
                measure(uri, body, concurrency, Duration.ofSeconds(2), bed);
                Result r = measure(uri, body, concurrency, run, bed);
                System.out.printf("%-11d %10.0f %9.2f %9.2f %9d %12.2f%n", concurrency, r.perSecond(), r.p50(), r.p99(),
                        r.errors(), r.sqsCallsPerRequest());
            }
        }
        // DynamoDB Local leaves a non-daemon scheduler thread behind after shutdown.
        System.exit(0);
    }

    record Result(double perSecond, double p50, double p99, long errors, double sqsCallsPerRequest) {
    }

    private static Result measure(URI uri, String body, int concurrency, Duration run, ApiTestbed bed) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        int callsBefore = bed.batchCalls.size();
        List<Future<long[]>> clients = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 20];
                    int n = 0;
                    long errors = 0;
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    while (!stop.get() && n < latencies.length - 1) {
                        long t = System.nanoTime();
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies[n++] = System.nanoTime() - t;
                        if (response.statusCode() != 200) {
                            errors++;
                        }
                    }
                    long[] out = Arrays.copyOf(latencies, n + 1);
                    out[n] = errors;
                    return out;
                }));
            }
            Thread.sleep(run.toMillis());
            stop.set(true);
            long elapsed = System.nanoTime() - start;
            List<Long> all = new ArrayList<>();
            long errors = 0;
            for (Future<long[]> f : clients) {
                long[] l = f.get();
                for (int i = 0; i < l.length - 1; i++) {
                    all.add(l[i]);
                }
                errors += l[l.length - 1];
            }
            all.sort(null);
            int calls = bed.batchCalls.size() - callsBefore;
            return new Result(all.size() / (elapsed / 1e9), percentile(all, 0.50), percentile(all, 0.99), errors,
                    all.isEmpty() ? 0 : (double) calls / all.size());
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
}
