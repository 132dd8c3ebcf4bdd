package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.HeraldConfig;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The {@code logging} section applied to Logback configured from Herald's own logback.xml (a context of the test's own,
 * its console appender's output captured): text lines start with an ISO-8601 date, json lines parse, and per-logger
 * levels hold.
 */
class LogSetupTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @BeforeEach
    void configureFromTheShippedLogbackXml() throws Exception {
        URL shipped = LogSetup.class.getResource("/logback.xml");
        assertThat(shipped).as("cli's logback.xml on the classpath").isNotNull();
        // A context of its own needs what SLF4J's binding would have given it.
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(shipped);
        capture();
    }

    /**
     * The shipped appender writes to standard error; the same appender writes here instead. Again after json is
     * applied: the restart that takes the new encoder points it at standard error.
     */
    private void capture() {
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        console.setOutputStream(written);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void textLinesStartWithAnIsoDate() {
        LogSetup.apply(context, HeraldConfig.Logging.defaults());

        context.getLogger("io.herald.pipeline.Pipeline").info("pipeline reading {} queue(s)", 2);

        assertThat(lines()).hasSize(1);
        String line = lines().getFirst();
        assertThat(line).endsWith("INFO  Pipeline - pipeline reading 2 queue(s)");
        // Parses as ISO-8601 with an offset, or this throws.
        assertThat(OffsetDateTime.parse(line.substring(0, line.indexOf(' ')))).isNotNull();
    }

    @Test
    void jsonLinesParseWithLevelLoggerMessageAndKeyValues() throws Exception {
        LogSetup.apply(context, new HeraldConfig.Logging("json", List.of(), false));
        capture();

        context.getLogger("io.herald.pipeline.Settler")
                .warn("dead-lettered message {} from {}: {}", "m-1", "herald-1", "rejected");
        context.getLogger("io.herald.api.access")
                .atInfo()
                .addKeyValue("status", 202)
                .log("POST /v1/notifications");

        assertThat(lines()).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines().get(0));
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("loggerName").asText()).isEqualTo("io.herald.pipeline.Settler");
        assertThat(first.get("formattedMessage").asText())
                .isEqualTo("dead-lettered message m-1 from herald-1: rejected");
        assertThat(first.get("timestamp").asLong()).isPositive();
        JsonNode second = json.readTree(lines().get(1));
        assertThat(second.toString()).contains("\"status\"", "202");
    }

    @Test
    void perLoggerLevelsQuietOneLoggerAndOpenAnother() {
        LogSetup.apply(
                context,
                new HeraldConfig.Logging("text", List.of("io.herald.pipeline=WARN", "software.amazon=DEBUG"), false));

        context.getLogger("io.herald.pipeline.Pipeline").info("not shown");
        context.getLogger("io.herald.pipeline.Pipeline").warn("shown");
        context.getLogger("software.amazon.awssdk.request").debug("sdk detail");
        context.getLogger("io.herald.api.HeraldApi").info("api info");

        assertThat(lines()).hasSize(3);
        assertThat(String.join("\n", lines())).doesNotContain("not shown").contains("shown", "sdk detail", "api info");
    }
}
