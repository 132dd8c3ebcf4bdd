package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the api, mailprog and fuzz drills read from their tools and how they generate input. The drills themselves are
 * benchmarks, run by ./herald bench, never by the tests (no test times anything).
 */
class DrillMeasurementsTest {

    /** wrk 4.1's report with --latency, as printed on this machine. */
    private static final String WRK_REPORT = """
            Running 5s test @ http://127.0.0.1:42451/email/send
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    40.12ms   52.30ms 455.59ms   90.12%
                Req/Sec   520.33    120.11   800.00     70.00%
              Latency Distribution
                 50%   31.47ms
                 75%   45.00ms
                 90%   80.10ms
                 99%  455.59us
              5129 requests in 5.00s, 1.10MB read
              Socket errors: connect 0, read 2, write 0, timeout 1
              Non-2xx or 3xx responses: 7
            Requests/sec:   1025.71
            Transfer/sec:    225.12KB
            """;

    @Test
    void wrkReportGivesRateAndPercentilesInMilliseconds() {
        Wrk.Run run = Wrk.parse(WRK_REPORT);

        assertThat(run.requests()).isEqualTo(5129);
        assertThat(run.requestsPerSecond()).isEqualTo(5129 / 5.0);
        assertThat(run.p50Millis()).isEqualTo(31.47);
        assertThat(run.p99Millis()).isEqualTo(0.45559);
        assertThat(run.non2xx()).isEqualTo(7);
        assertThat(run.socketErrors()).isEqualTo(3);
    }

    @Test
    void wrkReportWithoutLatencyDistributionIsRefused() {
        assertThatThrownBy(() -> Wrk.parse(WRK_REPORT.replace("50%", "5O%"))).hasMessageContaining("50% latency");
    }

    @Test
    void perfStatCsvGivesWallAndCpuInMilliseconds() {
        PerfStat.Sample sample = PerfStat.parse("""
                # started on Mon Nov 23 00:30:00 2026

                4.41,msec,task-clock,4410000,100.00,0.849,CPUs utilized
                5193710,ns,duration_time,5193710,100.00,,
                """, 0);

        assertThat(sample.cpuMillis()).isEqualTo(4.41);
        assertThat(sample.wallMillis()).isEqualTo(5.19371);
        assertThat(sample.exitCode()).isZero();
    }

    @Test
    void sameSeedGivesTheSameApiRequestsAndAnotherSeedOthers() {
        List<ApiFuzzCases.Case> first = new ApiFuzzCases(42, 256 * 1024).generate(64);
        List<ApiFuzzCases.Case> again = new ApiFuzzCases(42, 256 * 1024).generate(64);
        List<ApiFuzzCases.Case> other = new ApiFuzzCases(43, 256 * 1024).generate(64);

        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).request()).isEqualTo(first.get(i).request());
        }
        assertThat(first.stream().map(ApiFuzzCases.Case::kind).distinct())
                .containsExactlyElementsOf(ApiFuzzCases.KINDS);
        assertThat(java.util.stream.IntStream.range(0, 64)
                        .filter(i -> !java.util.Arrays.equals(
                                other.get(i).request(), first.get(i).request())))
                .isNotEmpty();
    }

    @Test
    void issue15CasesCarryWhatTheirAnswerMustBe() {
        List<ApiFuzzCases.Case> cases = new ApiFuzzCases(42, 256 * 1024).generate(600);

        List<ApiFuzzCases.Case> sender =
                cases.stream().filter(c -> c.kind().equals("sender")).toList();
        assertThat(sender)
                .isNotEmpty()
                .allMatch(c -> c.variant().equals("keyed")
                        && new String(c.request(), java.nio.charset.StandardCharsets.UTF_8)
                                .contains("Bearer " + ApiStackMain.KEYED_TOKEN));
        assertThat(sender.stream().map(ApiFuzzCases.Case::expect))
                .contains(
                        ApiFuzzCases.Expect.REFUSED,
                        ApiFuzzCases.Expect.ACCEPTED,
                        ApiFuzzCases.Expect.WITHOUT_FROM,
                        ApiFuzzCases.Expect.AS_WITHOUT_FROM);
        assertThat(cases.stream().filter(c -> c.kind().equals("display-name")))
                .allMatch(c -> c.expect() == ApiFuzzCases.Expect.REFUSED);
        assertThat(cases.stream()
                        .filter(c -> c.kind().equals("receivers"))
                        .mapToInt(c -> c.request().length)
                        .max()
                        .orElse(0))
                .isGreaterThan(100_000);
    }

    @Test
    void everyChatProviderDefusesTheTrickContentAndKeepsItsCredentialOutOfReasons() {
        List<String> violations = new java.util.ArrayList<>();

        Map<String, Map<String, Long>> byProvider = new ProviderFuzz().run(42, 12, violations);

        assertThat(violations).isEmpty();
        assertThat(byProvider).containsOnlyKeys("mattermost", "slack", "matrix", "telegram", "msteams", "discord");
        assertThat(byProvider.values())
                .allSatisfy(c -> assertThat(c)
                        .containsEntry("sent", 12L)
                        .containsEntry("unsafePayloads", 0L)
                        .containsEntry("leakedReasons", 0L));
    }

    @Test
    void sameSeedGivesTheSameShimInvocations() {
        Map<String, String> env = Map.of("SLURM_JOB_ID", "1", "SLURM_JOB_USER", "alice");
        List<ShimFuzzCases.Case> first = new ShimFuzzCases(7, env, "Slurm Job_id=1 Name=x Ended").generate(40);
        List<ShimFuzzCases.Case> again = new ShimFuzzCases(7, env, "Slurm Job_id=1 Name=x Ended").generate(40);

        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).args())
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(first.get(i).args());
            assertThat(again.get(i).env())
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(first.get(i).env());
        }
        // slurmctld cannot pass an environment entry without '=' (env -i would run it as the command).
        assertThat(first.stream().flatMap(c -> c.env().stream()))
                .allMatch(e -> new String(e, StandardCharsets.ISO_8859_1).contains("="));
    }

    @Test
    void wrkCpuIsTheChildrenTimesLineOfBash() {
        String output = WRK_REPORT + "0m0.002s 0m0.001s\n0m1.250s 1m0.500s\n";

        assertThat(Wrk.childCpuSeconds(output)).isCloseTo(61.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Wrk.childCpuSeconds(WRK_REPORT)).isNaN();
    }

    @Test
    void shippedApiConfigurationChangesOnlyEndpointsQueuesAndPort() throws Exception {
        String yaml = ApiDrill.config("http://127.0.0.1:9324", List.of("q-1", "q-2"), "http://127.0.0.1:8000", 18080);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bench-api", ".yaml");
        try {
            java.nio.file.Files.writeString(file, yaml);
            io.herald.core.config.HeraldConfig config =
                    new io.herald.core.config.ConfigLoader(Map.of()).load(java.util.Optional.of(file));
            io.herald.core.config.HeraldConfig defaults = io.herald.core.config.HeraldConfig.defaults();

            assertThat(config.sqs().queues()).containsExactly("q-1", "q-2");
            assertThat(config.status().endpoint()).isEqualTo("http://127.0.0.1:8000");
            assertThat(config.api().port()).isEqualTo(18080);
            assertThat(config.api().batchWait()).isEqualTo(defaults.api().batchWait());
            assertThat(config.sqs().maxConnections()).isEqualTo(defaults.sqs().maxConnections());
            assertThat(config.logging()).isEqualTo(defaults.logging());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void rawAnswerIsReadWithItsStatusAndDechunkedBody() {
        RawHttp.Answer answer = RawHttp.parse(("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\n{\"err\r\n4\r\nors\"\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"errors\"");
        assertThat(RawHttp.parse(new byte[0]).answered()).isFalse();
    }

    @Test
    void percentileIsNearestRank() {
        List<Double> samples = java.util.stream.IntStream.rangeClosed(1, 100)
                .mapToObj(i -> (double) i)
                .toList();

        assertThat(Percentile.of(samples, 0.50)).isEqualTo(50.0);
        assertThat(Percentile.of(samples, 0.99)).isEqualTo(99.0);
        assertThat(Percentile.of(List.of(), 0.5)).isNaN();
    }
}
