package io.herald.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A state file as a running {@code ./herald local} writes it, naming this test JVM as the stack's process (alive for as
 * long as the test runs) and the test's own embedded SQS and DynamoDB.
 */
final class LocalStateFixture {

    private LocalStateFixture() {}

    /** @return the YAML lines that point local.stateFile at the file written */
    static String write(Path file, String sqsEndpoint, List<String> queues, String statusEndpoint, String table)
            throws IOException {
        new LocalStackState(
                        ProcessHandle.current().pid(),
                        sqsEndpoint,
                        queues,
                        "-dlq",
                        statusEndpoint,
                        table,
                        "http://127.0.0.1:1",
                        Instant.now())
                .write(file);
        return "local:\n  stateFile: " + file + "\n";
    }
}
