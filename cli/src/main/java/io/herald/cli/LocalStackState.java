package io.herald.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a running {@code ./herald local} publishes at {@code local.stateFile} so that {@code --local} reaches exactly
 * that stack, and no other: its PID (checked alive), its loopback endpoints (whatever ports it got), its queues and
 * status table, its API. Written when the stack is up, removed when it stops.
 *
 * @param pid the process running the stack
 * @param sqsEndpoint its embedded SQS
 * @param queues the work queues it created (each with a dead-letter queue)
 * @param deadLetterSuffix the dead-letter queues' suffix
 * @param statusEndpoint its embedded DynamoDB
 * @param statusTable the status table in it
 * @param apiUrl its HTTP API
 * @param startedAt when it was started
 */
record LocalStackState(
        long pid,
        String sqsEndpoint,
        List<String> queues,
        String deadLetterSuffix,
        String statusEndpoint,
        String statusTable,
        String apiUrl,
        Instant startedAt) {

    private static final ObjectMapper JSON = JsonOutput.mapper();
    /** A newer Herald may write more fields; what this one needs is checked below. */
    private static final ObjectReader READER =
            JSON.readerFor(LocalStackState.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    LocalStackState {
        queues = List.copyOf(queues);
    }

    static LocalStackState of(LocalStack stack, long pid, Instant startedAt) {
        HeraldConfig running = stack.config();
        return new LocalStackState(
                pid,
                stack.sqsEndpoint().toString(),
                stack.queues().stream().map(QueueRef::name).toList(),
                running.sqs().deadLetterSuffix(),
                stack.dynamoDbEndpoint().toString(),
                running.status().table(),
                stack.apiUrl().toString(),
                startedAt);
    }

    /** Written whole or not at all (a temporary file renamed over it), readable by all, writable by its owner. */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the file when it still describes this process (a newer stack may have replaced it). */
    static void removeIfOurs(Path file, long pid) {
        try {
            LocalStackState state = READER.readValue(Files.readAllBytes(file));
            if (state.pid() == pid) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or not ours to judge: leave it; readers check the PID anyway.
        }
    }

    /**
     * The running local stack the state file describes.
     *
     * @throws StartupException with one line saying why there is none to reach
     */
    static LocalStackState find(HeraldConfig.Local local) {
        Path file = local.stateFilePath();
        String setting = "local.stateFile (" + ConfigLoader.environmentVariable("local.stateFile") + ")";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StartupException("no ./herald local is running (there is no " + file + "); start one with "
                    + "`./herald local`, or set " + setting + " to the file it wrote");
        } catch (IOException e) {
            throw new StartupException("cannot read " + file + " (" + setting + "): " + e.getMessage());
        }
        LocalStackState state;
        try {
            state = READER.readValue(bytes);
        } catch (IOException e) {
            throw new StartupException(file + " is not a ./herald local state file (" + setting + "): "
                    + Services.rootMessage(e).lines().findFirst().orElse(""));
        }
        state.check(file);
        return state;
    }

    private void check(Path file) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new StartupException("no ./herald local is running: " + file + " names PID " + pid
                    + ", which has exited; start `./herald local` again");
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new StartupException(file + " may be written by other users, so it cannot be trusted to name "
                        + "your ./herald local; remove it and start `./herald local` again");
            }
            String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
            Optional<String> runsAs = process.get().info().user();
            if (runsAs.isPresent() && !runsAs.get().equals(owner)) {
                throw new StartupException(file + " was written by " + owner + " but names PID " + pid
                        + ", which runs as " + runsAs.get()
                        + ": not a ./herald local; remove the file and start `./herald local` again");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new StartupException("cannot check " + file + ": " + e.getMessage());
        }
        for (String endpoint : List.of(sqsEndpoint, statusEndpoint, apiUrl)) {
            String host = URI.create(endpoint).getHost();
            if (host == null || !LOOPBACK.contains(host)) {
                throw new StartupException(file + " names " + endpoint + ", which is not on this machine's loopback: "
                        + "./herald local only listens there; remove the file");
            }
        }
    }

    /** The configuration pointed at this stack: its endpoints, queues and status table. */
    HeraldConfig applyTo(HeraldConfig config) {
        HeraldConfig.Sqs s = config.sqs();
        HeraldConfig.Status t = config.status();
        return config.withSqs(new HeraldConfig.Sqs(
                        sqsEndpoint,
                        s.region(),
                        queues,
                        deadLetterSuffix,
                        s.maxReceiveCount(),
                        s.visibilityTimeout(),
                        s.maxConnections()))
                .withStatus(new HeraldConfig.Status(statusEndpoint, t.region(), statusTable, t.ttl()));
    }
}
