package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.PauseScope;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald serve}: the local stack on disk. Messages accepted before a stop are delivered after the next start
 * (the kill -9 version of this is the serve-crash drill), and a data directory serve cannot use is refused with one
 * line before anything starts.
 */
class ServeTest {

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
        // A parked message (received while its channel was paused) is back 1 s after the resume, not 60 s.
        return new ConfigLoader(Map.of()).loadYaml("""
                api: {port: 0, open: true}
                pipeline: {adminPort: -1}
                providers: {outbox: {dir: "%s"}}
                local: {sqsPort: 0, dynamodbPort: 0}
                control: {parkDelay: 1s}
                """.formatted(dir.resolve("outbox")));
    }

    @Test
    void acceptedMessagesAndAPauseSurviveRestartsAndAreDeliveredOnceEach() throws Exception {
        ServeData data = ServeData.open(dir.resolve("data"));
        PauseScope email = PauseScope.channel("email");

        stack = LocalStack.startDurable(config(), data);
        try (StatusStores stores = StatusStores.open(stack.config(), false, Clock.systemUTC())) {
            stores.control().pause(email, "ServeTest");
        }
        stack.close();

        // Started again, the pipeline reads the stored pause before its first receive: nothing is delivered.
        stack = LocalStack.startDurable(config(), data);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            accepted.add(post(i));
        }
        stack.close();

        stack = LocalStack.startDurable(config(), data);
        assertThat(delivered()).isEmpty();
        try (StatusStores stores = StatusStores.open(stack.config(), false, Clock.systemUTC())) {
            assertThat(stores.control().pauses()).extracting(p -> p.scope()).containsExactly(email);
            assertThat(accepted)
                    .allSatisfy(
                            id -> assertThat(stores.status().find(id)).as(id).isPresent());
            stores.control().resume(email);
        }
        // The bound only ends a test that would otherwise hang.
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered().size() >= accepted.size());
        assertThat(delivered()).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsRefusedOnOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        CommandRun run = serve(file.resolve("data").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .startsWith("herald: serve refuses to start: data directory " + file.resolve("data"))
                .contains("cannot be created");
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefusedOnOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");

        CommandRun run = serve(file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).contains("it exists and is not a directory");
    }

    @Test
    void aReadOnlyDataDirectoryIsRefusedOnOneLine() throws Exception {
        // Root writes into read-only directories anyway; the test above covers root.
        assumeThat(System.getProperty("user.name")).isNotEqualTo("root");
        Path data = Files.createDirectory(
                dir.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));

        CommandRun run = serve(data.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .contains("is not writable for this user")
                .contains("HERALD_SERVE_DATA_DIR");
    }

    @Test
    void dataOfAnotherFormatVersionIsRefusedOnOneLineAndLeftAsItWas() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve(ServeData.FORMAT_FILE), "herald-serve-data 99\n");
        Files.writeString(data.resolve("sqs.mv.db"), "stored by a newer Herald");

        CommandRun run = serve(data.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .hasLineCount(1)
                .contains("its data is of format 'herald-serve-data 99' and this Herald reads 'herald-serve-data 1'");
        assertThat(data.resolve(ServeData.FORMAT_FILE)).hasContent("herald-serve-data 99");
        assertThat(data.resolve("sqs.mv.db")).hasContent("stored by a newer Herald");
    }

    @Test
    void storedDataWithoutAFormatFileIsRefused() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("sqs.mv.db"), "stored by whom?");

        CommandRun run = serve(data.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).hasLineCount(1).contains("holds data but no FORMAT file");
    }

    @Test
    void aNewDataDirectoryIsStampedWithTheFormatVersion() {
        ServeData data = ServeData.open(dir.resolve("new/data"));

        assertThat(data.dir().resolve(ServeData.FORMAT_FILE))
                .hasContent("herald-serve-data " + ServeData.FORMAT_VERSION);
        assertThat(ServeData.open(dir.resolve("new/data")).dir()).isEqualTo(data.dir());
    }

    /** `herald serve --data-dir DIR` with a configuration that may run open, so only the directory is at issue. */
    private CommandRun serve(String dataDir) throws Exception {
        Path config = Files.writeString(dir.resolve("herald.yaml"), "api:\n  open: true\n");
        return CommandRun.of("serve", "--config", config.toString(), "--data-dir", dataDir);
    }

    @Test
    void withoutApiKeysOrApiOpenNothingIsCreated() throws Exception {
        Path data = dir.resolve("data");

        CommandRun run = CommandRun.of("serve", "--data-dir", data.toString());

        assertThat(run.exitCode()).isEqualTo(Herald.EXIT_BAD_CONFIG);
        assertThat(run.err().strip()).hasLineCount(1).contains("api.open");
        assertThat(data).doesNotExist();
    }

    private String post(int i) throws Exception {
        String body = """
                {"email":{"fromEmail":"from@example.org","toEmail":"to%d@example.org","subject":"kept %d",\
                "body":"b"}}""".formatted(i, i);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(stack.apiUrl().resolve("/email/send"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Matcher id =
                    Pattern.compile("\\{\"messageId\":\"([0-9a-f-]{36})\"}").matcher(response.body());
            assertThat(id.matches()).as(response.body()).isTrue();
            return id.group(1);
        }
    }

    private Set<String> delivered() {
        Path outbox = dir.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".eml"))
                    .map(n -> n.substring(0, n.length() - ".eml".length()))
                    .collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
