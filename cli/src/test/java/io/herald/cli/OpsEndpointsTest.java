package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedDynamoDb;
import io.herald.embedded.EmbeddedSqs;
import io.herald.pipeline.AdminServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What an operator's tools see of a freshly started Herald: both {@code /metrics} endpoints pass Prometheus's own
 * {@code promtool check metrics}, every counter is there at 0 before anything happened, and the admin port's
 * {@code /healthz} and {@code /readyz} answer for real SQS (ElasticMQ) and DynamoDB (DynamoDB Local).
 */
class OpsEndpointsTest {

    @TempDir
    Path dir;

    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private HeraldConfig config() {
        return config(0, 0);
    }

    private HeraldConfig config(int apiPort, int adminPort) {
        return config(apiPort, adminPort, 0, 0);
    }

    private HeraldConfig config(int apiPort, int adminPort, int sqsPort, int dynamodbPort) {
        return new ConfigLoader(Map.of())
                .loadYaml("""
                api: {port: %d}
                pipeline: {adminPort: %d}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: %d, dynamodbPort: %d}
                """.formatted(apiPort, adminPort, dir.resolve("outbox"), sqsPort, dynamodbPort));
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void bothMetricsEndpointsPassPromtoolAndStartWithEveryCounterAtZero() throws Exception {
        Promtool promtool = Promtool.require();
        stack = LocalStack.start(config());

        String api = get(stack.apiUrl().resolve("/metrics")).body();
        String pipeline =
                get(stack.adminUrl().orElseThrow().resolve("/metrics")).body();

        for (String scrape : List.of(api, pipeline)) {
            Promtool.Result check = promtool.run(scrape, "check", "metrics");
            assertThat(check.code()).as(check.out()).isZero();
            assertThat(scrape)
                    .contains(
                            "jvm_memory_used_bytes{",
                            "jvm_gc_",
                            "jvm_threads_live_threads ",
                            "jvm_classes_loaded_classes ",
                            "process_cpu_usage ",
                            "process_uptime_seconds ",
                            "process_start_time_seconds ",
                            "process_files_open_files ",
                            "process_cpu_seconds_total ",
                            "system_cpus ");
            assertThat(scrape)
                    .containsPattern("herald_build_info\\{commit=\"[^\"]+\",version=\"0\\.1\\.0-SNAPSHOT\"} 1");
        }
        assertThat(pipeline)
                .contains(
                        "herald_parked_total{channel=\"email\"} 0.0",
                        "herald_suppressed_total{channel=\"email\"} 0.0",
                        "herald_suppression_unreadable_total 0.0",
                        "herald_worker_opened_by_peer_total{worker=\"outbox\"} 0.0",
                        "herald_sends_total{channel=\"email\",outcome=\"delivered\",worker=\"outbox\"} 0.0",
                        "herald_sends_total{channel=\"email\",outcome=\"rejected\",worker=\"outbox\"} 0.0",
                        "herald_sends_total{channel=\"email\",outcome=\"retry\",worker=\"outbox\"} 0.0",
                        "herald_sends_total{channel=\"email\",outcome=\"provider_down\",worker=\"outbox\"} 0.0",
                        "herald_control_reads_total{outcome=\"failed\"} 0.0",
                        "herald_sqs_requests_total{action=\"SendMessage\"} 0.0",
                        "herald_dead_letter_messages{queue=\"herald-1\"} 0.0",
                        "herald_dead_letter_messages{queue=\"herald-2\"} 0.0",
                        "herald_dead_letter_oldest_age_seconds{queue=\"herald-1\"} 0.0",
                        "herald_send_latency_seconds_count{worker=\"outbox\"} 0");
        // The notification latency buckets, not Micrometer's ~69 defaults.
        assertThat(pipeline.lines().filter(l -> l.startsWith("herald_send_latency_seconds_bucket{")))
                .hasSize(14)
                .anyMatch(l -> l.contains("le=\"0.005\""))
                .anyMatch(l -> l.contains("le=\"60.0\""))
                .anyMatch(l -> l.contains("le=\"+Inf\""));
        assertThat(api)
                .contains(
                        "herald_api_messages_queued_total{channel=\"email\"} 0.0",
                        "herald_api_messages_queued_total{channel=\"telegram\"} 0.0",
                        "herald_api_unauthenticated_total 0.0",
                        "herald_api_idempotent_replays_total 0.0");
    }

    @Test
    void adminPortIsAliveAndReadyWhenSqsAndTheStatusTableAnswer() throws Exception {
        stack = LocalStack.start(config());
        URI admin = stack.adminUrl().orElseThrow();

        HttpResponse<String> health = get(admin.resolve("/healthz"));
        HttpResponse<String> ready = get(admin.resolve("/readyz"));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("ready");
        assertThat(body.at("/checks/sqs").asText()).isEqualTo("ok");
        assertThat(body.at("/checks/statusStore").asText()).isEqualTo("ok");
    }

    @Test
    void aTakenEmbeddedSqsOrDynamoDbPortIsOneLineWithTheFixAndNoErrorLogged() throws Exception {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logged);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            HeraldConfig sqsClash = config(0, 0, port, 0);
            HeraldConfig dynamoClash = config(0, 0, 0, port);

            assertThatThrownBy(() -> LocalStack.start(sqsClash))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("embedded SQS cannot listen on 127.0.0.1:" + port + ": Address already in use "
                            + "(set local.sqsPort / HERALD_LOCAL_SQS_PORT to a free port, or 0)");
            assertThatThrownBy(() -> LocalStack.start(dynamoClash))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("embedded DynamoDB cannot listen on 127.0.0.1:" + port + ": Address already in use "
                            + "(set local.dynamodbPort / HERALD_LOCAL_DYNAMODB_PORT to a free port, or 0)");
        } finally {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logged);
        }
        assertThat(logged.list)
                .as("nothing logged at ERROR, so no stack trace before the one line")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .noneMatch(e -> e.getThrowableProxy() != null);
    }

    @Test
    void aTakenApiOrAdminPortIsOneLineWithTheFixAndNoErrorLogged() throws Exception {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logged);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HeraldConfig apiClash = config(taken.getLocalPort(), 0);
            HeraldConfig adminClash = config(0, taken.getLocalPort());

            assertThatThrownBy(() -> LocalStack.start(apiClash))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("the API cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use (set api.port / HERALD_API_PORT to a free port, or 0)");
            assertThatThrownBy(() -> LocalStack.start(adminClash))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("the pipeline's admin server cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use (set pipeline.adminPort / HERALD_PIPELINE_ADMIN_PORT to a "
                            + "free port, 0, or -1 to turn it off)");
        } finally {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logged);
        }
        assertThat(logged.list)
                .as("nothing logged at ERROR, so no stack trace before the one line")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .noneMatch(e -> e.getThrowableProxy() != null);
    }

    @Test
    void notReadyNamesTheMissingStatusTableAndThenStoppedSqs() throws Exception {
        HeraldConfig d = HeraldConfig.defaults();
        try (EmbeddedSqs sqsServer = EmbeddedSqs.start(0);
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0)) {
            HeraldConfig running = d.withSqs(
                            d.sqs().withEndpoint(sqsServer.endpoint().toString()))
                    .withStatus(d.status().withEndpoint(dynamoDb.endpoint().toString()));
            // The table is never created: the pipeline's store is not there.
            try (SqsClient sqs = SqsClients.create(running.sqs());
                    StatusStores stores = StatusStores.open(running, false, Clock.systemUTC())) {
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                List<QueueRef> queues = SqsQueues.provision(sqs, running.sqs());
                try (AdminServer admin = new AdminServer(
                        "127.0.0.1",
                        0,
                        registry,
                        () -> null,
                        List.of(StatusStores.sqsReadiness(sqs, queues), stores.readiness()))) {
                    URI base = URI.create("http://127.0.0.1:" + admin.port());

                    HttpResponse<String> noTable = get(base.resolve("/readyz"));
                    sqsServer.close();
                    HttpResponse<String> noSqs = get(base.resolve("/readyz"));

                    assertThat(noTable.statusCode()).isEqualTo(503);
                    JsonNode first = new ObjectMapper().readTree(noTable.body());
                    assertThat(first.get("status").asText()).isEqualTo("not ready");
                    assertThat(first.at("/checks/sqs").asText()).isEqualTo("ok");
                    assertThat(first.at("/checks/statusStore").asText())
                            .isEqualTo("table " + running.status().table() + " does not exist");
                    assertThat(noSqs.statusCode()).isEqualTo(503);
                    assertThat(new ObjectMapper()
                                    .readTree(noSqs.body())
                                    .at("/checks/sqs")
                                    .asText())
                            .isNotEqualTo("ok");
                    assertThat(get(base.resolve("/healthz")).statusCode()).isEqualTo(200);
                }
            }
        }
    }
}
