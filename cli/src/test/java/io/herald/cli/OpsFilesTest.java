package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.mailprog.forward.ForwarderMetrics;
import io.herald.mailprog.forward.PassResult;
import io.herald.mailprog.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' files under {@code ops/}: the alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}), and every metric the rules and the Grafana dashboard use exists in a real scrape of a
 * running Herald (and the Slurm forwarder's textfile), so a renamed meter breaks this test instead of an alert silently
 * never firing.
 */
class OpsFilesTest {

    private static final Path OPS = Path.of("..", "ops");
    private static final Path RULES = OPS.resolve("prometheus/herald-alerts.yml");
    private static final Path RULE_TESTS = OPS.resolve("prometheus/herald-alerts.test.yml");
    private static final Path PROMETHEUS_CONFIG = OPS.resolve("prometheus/prometheus.yml");
    private static final Path DASHBOARD = OPS.resolve("grafana/herald-dashboard.json");
    /** Herald's metric names: every one starts with one of these (label names never do). */
    private static final Pattern METRIC = Pattern.compile("\\b(?:herald|jvm|process|system)_[a-zA-Z0-9_]+");

    @TempDir
    Path dir;

    @Test
    void alertRulesPassPromtoolsChecksAndTheirUnitTests() throws Exception {
        Promtool promtool = Promtool.require();

        Promtool.Result check = promtool.run(null, "check", "rules", RULES.toString());
        Promtool.Result tests = promtool.run(null, "test", "rules", RULE_TESTS.toString());
        Promtool.Result config = promtool.run(null, "check", "config", PROMETHEUS_CONFIG.toString());

        assertThat(check.code()).as(check.out()).isZero();
        assertThat(tests.code()).as(tests.out()).isZero();
        assertThat(tests.out()).contains("SUCCESS");
        assertThat(config.code()).as(config.out()).isZero();
    }

    @Test
    void everyAlertHasAUnitTest() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        Set<String> alerts = new TreeSet<>();
        yaml.readTree(RULES.toFile())
                .at("/groups")
                .forEach(g ->
                        g.at("/rules").forEach(r -> alerts.add(r.get("alert").asText())));
        Set<String> tested = new TreeSet<>();
        yaml.readTree(RULE_TESTS.toFile())
                .at("/tests")
                .forEach(t -> t.at("/alert_rule_test").forEach(a -> {
                    if (a.has("exp_alerts") && !a.get("exp_alerts").isEmpty()) {
                        tested.add(a.get("alertname").asText());
                    }
                }));

        assertThat(alerts).isNotEmpty();
        assertThat(tested).as("alerts that some test expects to fire").containsAll(alerts);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsInARealScrape() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        collectExpressions(dashboard.get("panels"), expressions);
        new YAMLMapper()
                .readTree(RULES.toFile())
                .at("/groups")
                .forEach(g -> g.at("/rules")
                        .forEach(r -> expressions.add(r.get("expr").asText())));
        Set<String> used = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(dashboard.get("title").asText()).isEqualTo("Herald");
        assertThat(expressions).hasSizeGreaterThan(20);
        assertThat(used)
                .contains("herald_sends_total", "herald_dead_letter_messages", "herald_api_requests_seconds_count");

        String scrapes;
        try (LocalStack stack = LocalStack.start(localConfig())) {
            // One request, so the API's per-route request meter exists.
            OpsEndpointsTest.get(stack.apiUrl().resolve("/healthz"));
            scrapes = OpsEndpointsTest.get(stack.apiUrl().resolve("/metrics")).body()
                    + OpsEndpointsTest.get(stack.adminUrl().orElseThrow().resolve("/metrics"))
                            .body();
        }
        scrapes += forwarderTextfile();
        Set<String> scraped = new TreeSet<>();
        scrapes.lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> scraped.add(l.split("[{ ]", 2)[0]));
        assertThat(scraped).as("metrics a running Herald exposes").containsAll(used);
    }

    @Test
    void theForwardersTextfilePassesPromtoolsMetricsCheck() throws Exception {
        Promtool promtool = Promtool.require();

        Promtool.Result check = promtool.run(forwarderTextfile(), "check", "metrics");

        assertThat(check.code()).as(check.out()).isZero();
        assertThat(check.out()).as("no lint warning either").isBlank();
    }

    /**
     * What {@code herald mailprog forward} writes for node_exporter's textfile collector, from a real (empty) spool:
     * the alerts and the dashboard read the forwarder from there.
     */
    private String forwarderTextfile() throws Exception {
        Path textfiles = Files.createDirectories(dir.resolve("textfile_collector"));
        Spool spool = new Spool(dir.resolve("spool")).ensureDirectories();
        ForwarderMetrics metrics = new ForwarderMetrics(spool, textfiles, Clock.systemUTC());
        metrics.passed(new PassResult(0, 0, 0, 0, 0, Duration.ZERO, Optional.empty(), List.of()));
        return Files.readString(textfiles.resolve(ForwarderMetrics.FILE_NAME));
    }

    /** Every query of every panel, rows' nested panels included. */
    private static void collectExpressions(JsonNode panels, List<String> out) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(t -> out.add(t.get("expr").asText()));
            if (panel.has("panels")) {
                collectExpressions(panel.get("panels"), out);
            }
        }
    }

    private HeraldConfig localConfig() throws Exception {
        Files.createDirectories(dir.resolve("outbox"));
        return new ConfigLoader(Map.of()).loadYaml("""
                api: {port: 0}
                pipeline: {adminPort: 0}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: 0, dynamodbPort: 0}
                """.formatted(dir.resolve("outbox")));
    }
}
