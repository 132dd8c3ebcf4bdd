package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./herald local --demo} as a person drives it through the dashboard's endpoints: demo traffic flows through
 * Herald's real SES and SendGrid clients to the stand-ins; breaking SES moves the traffic to SendGrid while SES gets
 * single probes and shows unhealthy; healing it brings it back. Everything runs on loopback; nothing is mocked.
 */
class LocalChaosDemoTest {

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalStack stack;

    @BeforeEach
    void start() {
        // Short rests, so a probe comes round within the test's patience.
        stack = LocalStack.startWithDemo(new ConfigLoader(Map.of()).loadYaml("""
                api: {port: 0}
                pipeline: {adminPort: -1, unhealthyThreshold: 3, healthyThreshold: 2, openWait: 500ms,
                           retryBaseDelay: 200ms, retryMaxDelay: 1s}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: 0, dynamodbPort: 0}
                """.formatted(dir.resolve("outbox"))));
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
        http.close();
    }

    @Test
    void breakingSesMovesTrafficToSendGridWithSingleProbesAndHealingBringsItBack() throws Exception {
        assertThat(call("PUT", "/v1/local/demo/traffic", "{\"perSecond\": 20}").statusCode())
                .isEqualTo(200);
        await("both stand-ins take traffic")
                .atMost(Duration.ofSeconds(30))
                .until(() -> accepted("ses") > 5 && accepted("sendgrid") > 5);
        await("both healthy in the overview")
                .atMost(Duration.ofSeconds(30))
                .until(() -> "healthy".equals(state("ses")) && "healthy".equals(state("sendgrid")));

        JsonNode broken = json(call("POST", "/v1/local/demo/providers/ses/break", ""));
        assertThat(broken.at("/providers/0/provider").asText()).isEqualTo("ses");
        assertThat(broken.at("/providers/0/broken").asBoolean()).isTrue();
        await("SES unhealthy in the overview")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !"healthy".equals(state("ses")));
        long failedWhileUnhealthy = demoProvider("ses").get("failed").asLong();
        long sendgridBefore = accepted("sendgrid");
        await("SendGrid carries the traffic")
                .atMost(Duration.ofSeconds(60))
                .until(() -> accepted("sendgrid") - sendgridBefore > 30);
        long probes = demoProvider("ses").get("failed").asLong() - failedWhileUnhealthy;
        long carried = accepted("sendgrid") - sendgridBefore;
        // Counted against the traffic, not a stretch of time: one probe per 500 ms rest is ~1 in 10 of
        // 20 messages a second, however slowly the machine lets both go.
        assertThat(probes)
                .as("single probes, not traffic (%d carried by SendGrid)", carried)
                .isLessThanOrEqualTo(carried / 3);

        call("POST", "/v1/local/demo/providers/ses/heal", "");
        await("SES healthy again").atMost(Duration.ofSeconds(30)).until(() -> "healthy".equals(state("ses")));
        long sesBefore = accepted("ses");
        await("SES carries traffic again").atMost(Duration.ofSeconds(30)).until(() -> accepted("ses") - sesBefore > 10);

        call("PUT", "/v1/local/demo/traffic", "{\"perSecond\": 0}");
        assertThat(Files.exists(dir.resolve("outbox")))
                .as("the demo's email goes to the stand-ins, not the outbox")
                .isFalse();
    }

    @Test
    void badTrafficSettingsAndUnknownProvidersAreRefusedByName() throws Exception {
        HttpResponse<String> tooMany = call("PUT", "/v1/local/demo/traffic", "{\"perSecond\": 51}");
        HttpResponse<String> notJson = call("PUT", "/v1/local/demo/traffic", "fast");
        HttpResponse<String> unknown = call("POST", "/v1/local/demo/providers/postmark/break", "");

        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).at("/errors/perSecond").asText()).isEqualTo("must be a whole number from 0 to 50");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).at("/errors/base").asText()).startsWith("request body is not valid JSON");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).at("/errors/provider").asText())
                .contains("postmark")
                .contains("ses")
                .contains("sendgrid");
        assertThat(json(call("GET", "/v1/local/demo", null))
                        .at("/traffic/perSecond")
                        .asInt())
                .isZero();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body());
    }

    private JsonNode demoProvider(String provider) throws Exception {
        for (JsonNode p : json(call("GET", "/v1/local/demo", null)).get("providers")) {
            if (p.get("provider").asText().equals(provider)) {
                return p;
            }
        }
        throw new AssertionError("no stand-in " + provider);
    }

    private long accepted(String provider) throws Exception {
        return demoProvider(provider).get("accepted").asLong();
    }

    /** The provider's state in the overview, or null until a pipeline has reported it. */
    private String state(String provider) throws Exception {
        for (JsonNode pool : json(call("GET", "/v1/admin/overview", null)).get("pools")) {
            for (JsonNode worker : pool.get("workers")) {
                if (worker.get("provider").asText().equals(provider)) {
                    return worker.get("state").asText();
                }
            }
        }
        return null;
    }
}
