package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.health.ReadinessCheck;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Health, readiness, metrics, the OpenAPI document and the page. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsApiTest {

    private ApiTestbed bed;
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = bed.start(b -> b.readiness(new ReadinessCheck("sqs", Optional::empty))
                .readiness(new ReadinessCheck("statusStore", Optional::empty)));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @Test
    void healthzIsOkWithoutAsking() throws Exception {
        assertThat(bed.get(api, "/healthz").json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzIsReadyWhenEveryDependencyAnswers() throws Exception {
        ApiTestbed.Answer answer = bed.get(api, "/readyz");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("ready");
        assertThat(answer.json().get("checks").get("sqs").asText()).isEqualTo("ok");
        assertThat(answer.json().get("checks").get("statusStore").asText()).isEqualTo("ok");
    }

    @Test
    void readyzIs503NamingTheDependencyThatFailedOrHung() throws Exception {
        HeraldApi sick = bed.start(b -> b.readiness(new ReadinessCheck("sqs", Optional::empty))
                .readiness(new ReadinessCheck("statusStore", () -> Optional.of("table herald-status does not exist")))
                .readiness(new ReadinessCheck("slow", () -> {
                    try {
                        // Far past the check's 2 s budget: the answer below names it, so it was not waited for.
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.empty();
                }))
                .readiness(new ReadinessCheck("broken", () -> {
                    throw new IllegalStateException("connection refused");
                })));

        ApiTestbed.Answer answer = bed.get(sick, "/readyz");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("status").asText()).isEqualTo("not ready");
        assertThat(answer.json().get("checks").get("sqs").asText()).isEqualTo("ok");
        assertThat(answer.json().get("checks").get("statusStore").asText())
                .isEqualTo("table herald-status does not exist");
        assertThat(answer.json().get("checks").get("slow").asText()).isEqualTo("no answer within 2 s");
        assertThat(answer.json().get("checks").get("broken").asText()).isEqualTo("unreachable: IllegalStateException");
    }

    @Test
    void metricsCountRequestsByRouteTemplateAndStatusInPrometheusFormat() throws Exception {
        bed.post(api, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"x\"}");
        bed.get(api, "/v1/notifications/00000000-0000-7000-8000-000000000000");

        ApiTestbed.Answer metrics = bed.get(api, "/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.text())
                .contains(
                        "herald_api_requests_seconds_count{method=\"POST\",route=\"/v1/notifications\",status=\"202\"}")
                .contains("herald_api_requests_seconds_count{method=\"GET\",route=\"/v1/notifications/"
                        + "{id}\",status=\"404\"}")
                .contains("herald_api_messages_queued_total{channel=\"telegram\"}")
                .contains("herald_api_sqs_batch_entries_count")
                .contains("herald_api_status_batch_entries_count");
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndEveryStatusItAnswers() throws Exception {
        ApiTestbed.Answer answer = bed.get(api, "/openapi.json");
        JsonNode paths = answer.json().get("paths");

        assertThat(answer.json().get("openapi").asText()).startsWith("3.1");
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry(
                        "post /email/send",
                        List.of("200", "400", "401", "403", "408", "409", "422", "429", "500", "503")),
                Map.entry(
                        "post /v1/notifications",
                        List.of("202", "400", "401", "403", "408", "409", "422", "429", "500", "503")),
                Map.entry("get /v1/notifications/{id}", List.of("200", "400", "401", "404", "503")),
                Map.entry("get /v1/channels", List.of("200")),
                Map.entry("get /v1/admin/pauses", List.of("200", "401", "403", "503")),
                Map.entry("post /v1/admin/pauses", List.of("200", "400", "401", "403", "503")),
                Map.entry("delete /v1/admin/pauses/{scope}/{name}", List.of("200", "400", "401", "403", "503")),
                Map.entry("get /v1/admin/suppressions", List.of("200", "400", "401", "403", "503")),
                Map.entry("post /v1/admin/suppressions", List.of("201", "400", "401", "403", "503")),
                Map.entry("delete /v1/admin/suppressions/{address}", List.of("204", "400", "401", "403", "404", "503")),
                Map.entry("get /v1/users/{user}/preferences", List.of("200", "400", "401", "403", "404", "503")),
                Map.entry("put /v1/users/{user}/preferences", List.of("200", "400", "401", "403", "503")),
                Map.entry("post /v1/me/link", List.of("202", "400", "503")),
                Map.entry("post /v1/me/session", List.of("200", "400", "401", "503")),
                Map.entry("get /v1/me/preferences", List.of("200", "401", "404", "503")),
                Map.entry("put /v1/me/preferences", List.of("200", "400", "401", "503")),
                Map.entry("get /v1/admin/overview", List.of("200", "401", "403", "503")),
                Map.entry("get /v1/admin/overview/history", List.of("200", "401", "403")),
                Map.entry("get /v1/admin/dead-letters", List.of("200", "400", "401", "403", "503")),
                Map.entry("get /v1/admin/dead-letters/{id}", List.of("200", "401", "403", "404", "503")),
                Map.entry("post /v1/admin/dead-letters/redrive", List.of("200", "400", "401", "403", "503")),
                Map.entry("post /v1/feedback/sendgrid", List.of("200", "400", "401", "413", "503")),
                Map.entry("get /u/{token}", List.of("200", "400", "404", "429", "503")),
                Map.entry("post /u/{token}", List.of("200", "400", "404", "413", "429", "503")),
                Map.entry("get /docs", List.of("200")),
                Map.entry("get /v1/local/demo", List.of("200", "401", "403")),
                Map.entry("post /v1/local/demo/providers/{provider}/break", List.of("200", "401", "403", "404")),
                Map.entry("post /v1/local/demo/providers/{provider}/heal", List.of("200", "401", "403", "404")),
                Map.entry("put /v1/local/demo/traffic", List.of("200", "400", "401", "403")),
                Map.entry("get /healthz", List.of("200")),
                Map.entry("get /readyz", List.of("200", "503")),
                Map.entry("get /metrics", List.of("200", "401", "403")),
                Map.entry("get /openapi.json", List.of("200")),
                Map.entry("get /", List.of("200")));
        assertThat(paths.size())
                .as("paths")
                .isEqualTo(expected.keySet().stream()
                        .map(o -> o.split(" ")[1])
                        .distinct()
                        .count());
        expected.forEach((operation, statuses) -> {
            String[] methodAndPath = operation.split(" ");
            JsonNode responses =
                    paths.path(methodAndPath[1]).path(methodAndPath[0]).path("responses");
            assertThat(responses.isObject()).as(operation).isTrue();
            assertThat(ApiJson.fieldNames(responses)).as(operation).containsExactlyInAnyOrderElementsOf(statuses);
        });
        assertThat(answer.json().at("/components/schemas/Errors/required/0").asText())
                .isEqualTo("errors");
    }

    /** With the web client built it is Swagger UI (checked in Chromium); without, a line pointing at the document. */
    @Test
    void theApiReferenceForPeopleIsServedAtDocsUnderThePagesPolicy() throws Exception {
        ApiTestbed.Answer docs = bed.get(api, "/docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.header("Content-Type")).startsWith("text/html");
        assertThat(docs.header("Content-Security-Policy"))
                .isEqualTo(HeraldApi.PAGE_HEADERS.get("Content-Security-Policy"));
        assertThat(docs.text()).containsAnyOf("/docs/swagger-ui-bundle.js", "/openapi.json");
        assertThat(docs.text()).doesNotContain("https://");
    }

    @Test
    void thePageIsServedAtTheRootWithAStrictContentSecurityPolicy() throws Exception {
        Assumptions.assumeTrue(
                HeraldApi.class.getResource("/web/index.html") != null,
                "the web client was not built (-Dherald.web.skip)");

        ApiTestbed.Answer page =
                bed.send(HttpRequest.newBuilder(ApiTestbed.uri(api, "/")).GET().build());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<div id=\"root\"></div>");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void unknownPathsAreStillJson404WithThePageInstalled() throws Exception {
        ApiTestbed.Answer answer = bed.get(api, "/no/such/thing");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errors()).containsExactly(Map.entry("base", "Not found"));
    }
}
