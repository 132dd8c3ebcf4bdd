package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.herald.core.provider.outbox.OutboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    // --- layers -------------------------------------------------------------------------------

    @Test
    void defaultsLoadWithoutFileAndWithEmptyEnvironment() {
        assertThat(load(Map.of())).isEqualTo(HeraldConfig.defaults());
    }

    @Test
    void defaultsAreValid() {
        assertThat(ConfigValidator.problems(HeraldConfig.defaults())).isEmpty();
    }

    @Test
    void emptyFileKeepsDefaults() throws IOException {
        assertThat(load(Map.of(), yaml(""))).isEqualTo(HeraldConfig.defaults());
    }

    @Test
    void yamlFileOverridesDefaults() throws IOException {
        Path file = yaml("""
                sqs:
                  region: eu-west-1
                  queues: [notify-a, notify-b, notify-c]
                  visibilityTimeout: 2m
                api:
                  port: 9000
                pipeline:
                  sendTimeout: 1500ms
                receivers:
                  defaultScheme: msteams
                """);

        HeraldConfig config = load(Map.of(), file);

        assertThat(config.sqs().region()).isEqualTo("eu-west-1");
        assertThat(config.sqs().queues()).containsExactly("notify-a", "notify-b", "notify-c");
        assertThat(config.sqs().visibilityTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.api().port()).isEqualTo(9000);
        assertThat(config.pipeline().sendTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.receivers().defaultScheme()).isEqualTo("msteams");
    }

    @Test
    void yamlFileKeepsDefaultsForKeysItDoesNotName() throws IOException {
        HeraldConfig config = load(Map.of(), yaml("api:\n  port: 9000\n"));

        HeraldConfig defaults = HeraldConfig.defaults();
        assertThat(config.api().host()).isEqualTo(defaults.api().host());
        assertThat(config.api().maxBodyBytes()).isEqualTo(defaults.api().maxBodyBytes());
        assertThat(config.sqs()).isEqualTo(defaults.sqs());
    }

    @Test
    void yamlNullValueKeepsTheDefault() throws IOException {
        HeraldConfig config = load(Map.of(), yaml("sqs:\n  region:\napi:\n"));

        assertThat(config).isEqualTo(HeraldConfig.defaults());
    }

    @Test
    void singleQueueWrittenAsScalarBecomesAList() throws IOException {
        assertThat(load(Map.of(), yaml("sqs:\n  queues: only-one\n")).sqs().queues())
                .containsExactly("only-one");
    }

    @Test
    void environmentOverridesFile() throws IOException {
        Path file = yaml("api:\n  port: 9000\n");

        assertThat(load(Map.of("HERALD_API_PORT", "9100"), file).api().port()).isEqualTo(9100);
    }

    @Test
    void environmentListIsCommaSeparated() {
        assertThat(load(Map.of("HERALD_SQS_QUEUES", "a,b")).sqs().queues()).containsExactly("a", "b");
    }

    @Test
    void environmentListItemsAreTrimmedAndEmptyOnesDropped() {
        assertThat(load(Map.of("HERALD_SQS_QUEUES", " a , b ,,")).sqs().queues())
                .containsExactly("a", "b");
    }

    @Test
    void environmentDurationIsParsed() {
        assertThat(load(Map.of("HERALD_SQS_VISIBILITY_TIMEOUT", "90s")).sqs().visibilityTimeout())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void environmentOverridesNestedKey() {
        assertThat(load(Map.of("HERALD_PROVIDERS_OUTBOX_DIR", "/var/spool/herald"))
                        .providers()
                        .of(OutboxConfig.class)
                        .dir())
                .isEqualTo("/var/spool/herald");
    }

    @Test
    void environmentStringKeepsCommas() {
        // Only list keys split on ','; an endpoint is taken whole.
        assertThat(load(Map.of("HERALD_SQS_ENDPOINT", "http://127.0.0.1:9324"))
                        .sqs()
                        .endpoint())
                .isEqualTo("http://127.0.0.1:9324");
    }

    // --- environment variable names -----------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "api.maxBodyBytes, HERALD_API_MAX_BODY_BYTES",
        "sqs.maxReceiveCount, HERALD_SQS_MAX_RECEIVE_COUNT",
        "sqs.queues, HERALD_SQS_QUEUES",
        "local.sqsPort, HERALD_LOCAL_SQS_PORT",
        "providers.outbox.dir, HERALD_PROVIDERS_OUTBOX_DIR",
        "receivers.defaultScheme, HERALD_RECEIVERS_DEFAULT_SCHEME",
    })
    void environmentVariableIsKeyInUpperSnakeCase(String key, String variable) {
        assertThat(ConfigLoader.environmentVariable(key)).isEqualTo(variable);
    }

    @Test
    void everyKeyHasItsOwnVariableAndTheLoaderKnowsIt() {
        List<String> keys = new ConfigLoader(Map.of()).keys();
        Set<String> variables = new HashSet<>();

        for (String key : keys) {
            String variable = ConfigLoader.environmentVariable(key);
            assertThat(variables.add(variable))
                    .as("variable of %s is unique", key)
                    .isTrue();
            ConfigException e = catchThrowableOfType(
                    ConfigException.class,
                    () -> new ConfigLoader(Map.of(variable, "zz-not-valid")).load(Optional.empty()));
            if (e != null) {
                assertThat(e.problems()).as(variable).noneMatch(p -> p.contains("not a Herald setting"));
            }
        }
        assertThat(keys).contains("sqs.region", "api.maxBodyBytes", "pipeline.sendTimeout", "providers.outbox.dir");
    }

    // --- validation rules, one per row ---------------------------------------------------------

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                arguments("HERALD_API_PORT", "70000", "api.port", "between 0 and 65535"),
                arguments("HERALD_API_PORT", "-1", "api.port", "got -1"),
                arguments("HERALD_LOCAL_SQS_PORT", "65536", "local.sqsPort", "between 0 and 65535"),
                arguments("HERALD_API_PORT", "eighty", "api.port", "'eighty'"),
                arguments("HERALD_SQS_REGION", "US_EAST_1", "sqs.region", "'US_EAST_1' is not an AWS region"),
                arguments("HERALD_SQS_REGION", "useast1", "sqs.region", "not an AWS region"),
                arguments("HERALD_SQS_QUEUES", "", "sqs.queues", "no queue configured"),
                arguments(
                        "HERALD_SQS_QUEUES",
                        "herald.fifo",
                        "sqs.queues",
                        "'herald.fifo' is not a valid SQS queue name"),
                arguments("HERALD_SQS_QUEUES", "q".repeat(81), "sqs.queues", "not a valid SQS queue name"),
                arguments("HERALD_SQS_QUEUES", "a,b,a", "sqs.queues", "'a' is listed twice"),
                arguments(
                        "HERALD_SQS_DEAD_LETTER_SUFFIX", ".dlq", "sqs.deadLetterSuffix", "not a valid SQS queue name"),
                arguments("HERALD_SQS_DEAD_LETTER_SUFFIX", "", "sqs.deadLetterSuffix", "must not be empty"),
                arguments("HERALD_SQS_MAX_RECEIVE_COUNT", "0", "sqs.maxReceiveCount", "between 1 and 1000"),
                arguments("HERALD_SQS_MAX_RECEIVE_COUNT", "1001", "sqs.maxReceiveCount", "got 1001"),
                arguments("HERALD_SQS_VISIBILITY_TIMEOUT", "0s", "sqs.visibilityTimeout", "between 1s and 12h"),
                arguments("HERALD_SQS_VISIBILITY_TIMEOUT", "13h", "sqs.visibilityTimeout", "got 13h"),
                arguments("HERALD_SQS_VISIBILITY_TIMEOUT", "30", "sqs.visibilityTimeout", "'30'"),
                arguments("HERALD_SQS_VISIBILITY_TIMEOUT", "thirty seconds", "sqs.visibilityTimeout", "unit"),
                arguments("HERALD_SQS_MAX_CONNECTIONS", "0", "sqs.maxConnections", "between 1 and 10000"),
                arguments("HERALD_SQS_ENDPOINT", "ftp://127.0.0.1:9324", "sqs.endpoint", "not an http(s) URL"),
                arguments("HERALD_SQS_ENDPOINT", "http://bad host", "sqs.endpoint", "not a URL"),
                arguments("HERALD_PIPELINE_RECEIVE_WAIT", "21s", "pipeline.receiveWait", "between 0s and 20s"),
                arguments("HERALD_PIPELINE_SEND_TIMEOUT", "0ms", "pipeline.sendTimeout", "between 1ms and 12h"),
                arguments("HERALD_PIPELINE_SEND_TIMEOUT", "10", "pipeline.sendTimeout", "unit"),
                arguments(
                        "HERALD_PIPELINE_STATUS_FLUSH_INTERVAL",
                        "10s",
                        "pipeline.statusFlushInterval",
                        "between 1ms and 5s"),
                arguments(
                        "HERALD_PIPELINE_STATUS_FLUSH_INTERVAL",
                        "0ms",
                        "pipeline.statusFlushInterval",
                        "between 1ms and 5s"),
                arguments("HERALD_API_MAX_BODY_BYTES", "1023", "api.maxBodyBytes", "between 1024 and 1048576"),
                arguments("HERALD_API_MAX_BODY_BYTES", "1048577", "api.maxBodyBytes", "got 1048577"),
                arguments("HERALD_API_HOST", " ", "api.host", "must not be empty"),
                arguments("HERALD_PROVIDERS_OUTBOX_DIR", "", "providers.outbox.dir", "must not be empty"),
                arguments(
                        "HERALD_RECEIVERS_DEFAULT_SCHEME",
                        "pigeon",
                        "receivers.defaultScheme",
                        "'pigeon' is not a scheme"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidSettings")
    void invalidSettingIsReportedNamingKeyAndVariable(String variable, String value, String key, String fragment) {
        ConfigException e = loadFails(Map.of(variable, value));

        assertThat(e.problems())
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith(key + " (" + variable + "): ")
                        .contains(fragment));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "HERALD_API_PORT, 0",
        "HERALD_API_PORT, 65535",
        "HERALD_SQS_MAX_RECEIVE_COUNT, 1",
        "HERALD_SQS_MAX_RECEIVE_COUNT, 1000",
        "HERALD_SQS_VISIBILITY_TIMEOUT, 12h",
        "HERALD_PIPELINE_RECEIVE_WAIT, 0s",
        "HERALD_PIPELINE_SENDING_STATUS_AFTER, 0s",
        "HERALD_PIPELINE_STATUS_FLUSH_INTERVAL, 5s",
        "HERALD_PIPELINE_RECEIVE_WAIT, 20s",
        "HERALD_API_MAX_BODY_BYTES, 1024",
        "HERALD_API_MAX_BODY_BYTES, 1048576",
        "HERALD_SQS_QUEUES, herald_1-A",
        "HERALD_SQS_REGION, ap-southeast-2",
        "HERALD_SQS_REGION, us-gov-west-1",
        "HERALD_RECEIVERS_DEFAULT_SCHEME, telegram",
    })
    void valueAtTheEdgeOfItsRangeIsAccepted(String variable, String value) {
        assertThatCode(() -> load(Map.of(variable, value))).doesNotThrowAnyException();
    }

    @Test
    void sendTimeoutNotShorterThanVisibilityTimeoutNamesBothKeys() {
        ConfigException e =
                loadFails(Map.of("HERALD_PIPELINE_SEND_TIMEOUT", "60s", "HERALD_SQS_VISIBILITY_TIMEOUT", "60s"));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("pipeline.sendTimeout (HERALD_PIPELINE_SEND_TIMEOUT): ")
                .contains("sqs.visibilityTimeout (HERALD_SQS_VISIBILITY_TIMEOUT")
                .contains("sent twice");
    }

    @Test
    void sendTimeoutLongerThanVisibilityTimeoutIsRefused() {
        ConfigException e =
                loadFails(Map.of("HERALD_PIPELINE_SEND_TIMEOUT", "2m", "HERALD_SQS_VISIBILITY_TIMEOUT", "30s"));

        assertThat(e.problems()).singleElement().asString().contains("2m").contains("30s");
    }

    @Test
    void sendTimeoutJustBelowVisibilityTimeoutIsAccepted() {
        assertThat(load(Map.of("HERALD_PIPELINE_SEND_TIMEOUT", "59999ms"))
                        .pipeline()
                        .sendTimeout())
                .isEqualTo(Duration.ofMillis(59_999));
    }

    @Test
    void durationWithoutUnitInYamlIsRefusedNamingKey() throws IOException {
        ConfigException e = loadFails(Map.of(), yaml("sqs:\n  visibilityTimeout: 30\n"));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("sqs.visibilityTimeout (HERALD_SQS_VISIBILITY_TIMEOUT): ")
                .contains("'30'")
                .contains("ms, s, m or h");
    }

    @Test
    void nonNumberPortInYamlIsRefusedNamingKey() throws IOException {
        ConfigException e = loadFails(Map.of(), yaml("api:\n  port: http\n"));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("api.port (HERALD_API_PORT): ")
                .contains("'http'");
    }

    @Test
    void listWhereNumberExpectedIsRefusedNamingKey() throws IOException {
        ConfigException e = loadFails(Map.of(), yaml("api:\n  port: [1, 2]\n"));

        assertThat(e.problems()).singleElement().asString().startsWith("api.port (HERALD_API_PORT): ");
    }

    // --- unknown names ------------------------------------------------------------------------

    @Test
    void unknownYamlKeySuggestsTheClosestKnownKey() throws IOException {
        Path file = yaml("sqs:\n  queus: [a]\n");

        ConfigException e = loadFails(Map.of(), file);

        assertThat(e.problems()).containsExactly(file + ": unknown key 'sqs.queus' (did you mean 'sqs.queues'?)");
    }

    @Test
    void unknownYamlSectionSuggestsTheClosestSection() throws IOException {
        assertThat(loadFails(Map.of(), yaml("pipline:\n  sendTimeout: 5s\n")).problems())
                .singleElement()
                .asString()
                .contains("unknown key 'pipline' (did you mean 'pipeline'?)");
    }

    @Test
    void unknownYamlKeyFarFromAnyListsTheKnownKeys() throws IOException {
        assertThat(loadFails(Map.of(), yaml("api:\n  colour: red\n")).problems())
                .singleElement()
                .asString()
                .contains("unknown key 'api.colour'")
                .contains("known keys under 'api': host, port, maxBodyBytes");
    }

    @Test
    void sectionWrittenAsScalarIsRefused() throws IOException {
        assertThat(loadFails(Map.of(), yaml("api: 8080\n")).problems())
                .singleElement()
                .asString()
                .contains("'api' must be a mapping with keys [host, port, maxBodyBytes, idempotencyWindow, batchWait, "
                        + "open, keys, maxReceiversPerRequest, idleTimeout, minRequestDataRate, selfService]");
    }

    @Test
    void fileWhoseTopLevelIsNotAMappingIsRefused() throws IOException {
        assertThat(loadFails(Map.of(), yaml("- sqs\n- api\n")).problems())
                .singleElement()
                .asString()
                .contains("top level must be a mapping");
    }

    @Test
    void unknownHeraldVariableIsNamedWithSuggestion() {
        assertThat(loadFails(Map.of("HERALD_API_PROT", "9000")).problems())
                .containsExactly(
                        "environment variable HERALD_API_PROT is not a Herald setting (did you mean HERALD_API_PORT?)");
    }

    @Test
    void unknownHeraldVariableFarFromAnyIsStillNamed() {
        assertThat(loadFails(Map.of("HERALD_COLOUR", "red")).problems())
                .containsExactly("environment variable HERALD_COLOUR is not a Herald setting");
    }

    @Test
    void sectionNameAsVariableIsNotASetting() {
        assertThat(loadFails(Map.of("HERALD_SQS", "x")).problems())
                .singleElement()
                .asString()
                .contains("HERALD_SQS ");
    }

    @Test
    void launcherVariablesAreNotErrors() {
        assertThat(load(Map.of("HERALD_CONFIG", "/etc/herald/herald.yaml", "HERALD_JAVA_OPTS", "-Xmx1g")))
                .isEqualTo(HeraldConfig.defaults());
    }

    @Test
    void variablesWithoutTheHeraldPrefixAreIgnored() {
        assertThat(load(Map.of(
                        "PATH", "/usr/bin", "AWS_REGION", "eu-west-1", "HERALDAPI_PORT", "1", "SLURM_JOB_ID", "1")))
                .isEqualTo(HeraldConfig.defaults());
    }

    // --- files --------------------------------------------------------------------------------

    @Test
    void yamlSyntaxErrorNamesFileAndLine() throws IOException {
        Path file = yaml("""
                api:
                  port: 8080
                   host: 127.0.0.1
                """);

        ConfigException e = loadFails(Map.of(), file);

        assertThat(e.problems()).singleElement().asString().startsWith(file + ": not valid YAML (line 3)");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");

        ConfigException e = loadFails(Map.of(), missing);

        assertThat(e.problems()).singleElement().asString().startsWith(missing + ": file not found");
    }

    // --- several at once ----------------------------------------------------------------------

    @Test
    void severalInvalidValuesAreReportedTogether() {
        ConfigException e = loadFails(Map.of(
                "HERALD_API_PORT", "70000",
                "HERALD_SQS_REGION", "nowhere",
                "HERALD_SQS_MAX_RECEIVE_COUNT", "0",
                "HERALD_RECEIVERS_DEFAULT_SCHEME", "pigeon",
                "HERALD_PIPELINE_RECEIVE_WAIT", "1m"));

        assertThat(e.problems())
                .hasSize(5)
                .extracting(p -> p.substring(0, p.indexOf(' ')))
                .containsExactlyInAnyOrder(
                        "api.port",
                        "sqs.region",
                        "sqs.maxReceiveCount",
                        "receivers.defaultScheme",
                        "pipeline.receiveWait");
        assertThat(e.getMessage()).startsWith("invalid configuration:\n  - ");
        e.problems().forEach(problem -> assertThat(e.getMessage()).contains(problem));
    }

    @Test
    void unknownFileKeysAndUnknownVariablesAreReportedTogether() throws IOException {
        Path file = yaml("sqs:\n  regoin: eu-west-1\napi:\n  prot: 1\n");

        ConfigException e = loadFails(Map.of("HERALD_SQS_QUEUSE", "a", "HERALD_CONFIG", file.toString()), file);

        assertThat(e.problems())
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("'sqs.regoin' (did you mean 'sqs.region'?)"))
                .anySatisfy(p -> assertThat(p).contains("'api.prot' (did you mean 'api.port'?)"))
                .anySatisfy(p -> assertThat(p)
                        .contains("HERALD_SQS_QUEUSE is not a Herald setting (did you mean HERALD_SQS_QUEUES?)"));
    }

    @Test
    void singleProblemMessageIsOneLine() {
        ConfigException e = loadFails(Map.of("HERALD_API_PORT", "70000"));

        assertThat(e.getMessage())
                .isEqualTo("invalid configuration: " + e.problems().getFirst())
                .doesNotContain("\n");
    }

    // --- helpers ------------------------------------------------------------------------------

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "herald", ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private static HeraldConfig load(Map<String, String> environment) {
        return new ConfigLoader(environment).load(Optional.empty());
    }

    private static HeraldConfig load(Map<String, String> environment, Path file) {
        return new ConfigLoader(environment).load(Optional.of(file));
    }

    private static ConfigException loadFails(Map<String, String> environment) {
        return loadFails(environment, null);
    }

    private static ConfigException loadFails(Map<String, String> environment, Path file) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> new ConfigLoader(environment).load(Optional.ofNullable(file)));
        assertThat(e).as("load with %s and %s should fail", environment, file).isNotNull();
        assertThat(e.problems()).isNotEmpty();
        return e;
    }

    @Test
    void anUnknownVariableDoesNotHideABadValueBesideIt() {
        ConfigException e = loadFails(Map.of("HERALD_SQS_ENDPONT", "x", "HERALD_SQS_REGION", "mars"));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("HERALD_SQS_ENDPONT").contains("HERALD_SQS_ENDPOINT"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("sqs.region (HERALD_SQS_REGION): 'mars'"));
    }
}
