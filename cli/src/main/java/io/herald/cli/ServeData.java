package io.herald.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data directory of {@code herald serve} ({@code serve.dataDir}): {@code sqs.mv.db} (queues and messages),
 * {@code dynamodb/} (the status table) and {@code FORMAT}, the version of this layout.
 *
 * <p>{@link #open} refuses, with one line saying why, a directory serve cannot write (better now than at the first
 * message) and data written in another layout (an older or newer Herald), which it must not misread or overwrite; a
 * package upgrade that changes the layout has to convert the data first.
 */
record ServeData(Path dir) {

    /** Bumped whenever what serve stores, or how, changes so an older reader would misread it. */
    static final int FORMAT_VERSION = 1;

    static final String FORMAT_FILE = "FORMAT";
    private static final String FORMAT_PREFIX = "herald-serve-data ";

    Path sqsDir() {
        return dir;
    }

    Path dynamoDbDir() {
        return dir.resolve("dynamodb");
    }

    /**
     * Creates the directory if missing and stamps a new one with {@link #FORMAT_VERSION}.
     *
     * @throws StartupException when it cannot be written or holds data of another format
     */
    static ServeData open(Path configured) {
        Path dir = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw refused(dir, "it exists and is not a directory");
        } catch (IOException e) {
            throw refused(dir, "it cannot be created (" + reason(e) + ")");
        }
        probeWritable(dir);
        Path format = dir.resolve(FORMAT_FILE);
        if (Files.exists(format)) {
            checkFormat(dir, format);
        } else {
            if (holdsData(dir)) {
                throw refused(
                        dir,
                        "it holds data but no " + FORMAT_FILE + " file, so its version is unknown; "
                                + "move it aside or write '" + FORMAT_PREFIX + FORMAT_VERSION + "' into " + format
                                + " if it is this version's");
            }
            try {
                Files.writeString(format, FORMAT_PREFIX + FORMAT_VERSION + "\n");
            } catch (IOException e) {
                throw refused(dir, "its " + FORMAT_FILE + " file cannot be written (" + reason(e) + ")");
            }
        }
        ServeData data = new ServeData(dir);
        try {
            Files.createDirectories(data.dynamoDbDir());
        } catch (IOException e) {
            throw refused(dir, "its dynamodb/ directory cannot be created (" + reason(e) + ")");
        }
        return data;
    }

    /** Files.isWritable answers for root as if permissions applied; creating a file is the real test. */
    private static void probeWritable(Path dir) {
        try {
            Path probe = Files.createTempFile(dir, ".write-probe", "");
            Files.delete(probe);
        } catch (IOException e) {
            throw refused(
                    dir,
                    "it is not writable for this user (" + reason(e) + "); give it to the user serve "
                            + "runs as (chown) or set serve.dataDir / HERALD_SERVE_DATA_DIR");
        }
    }

    private static void checkFormat(Path dir, Path format) {
        String content;
        try {
            content = Files.readString(format).strip();
        } catch (IOException e) {
            throw refused(dir, "its " + FORMAT_FILE + " file cannot be read (" + reason(e) + ")");
        }
        String expected = FORMAT_PREFIX + FORMAT_VERSION;
        if (!content.equals(expected)) {
            String shown = content.length() > 60 ? content.substring(0, 60) + "..." : content;
            throw refused(
                    dir,
                    "its data is of format '" + shown.replaceAll("\\s+", " ") + "' and this Herald reads '" + expected
                            + "'; run the Herald version that wrote it, or move the directory aside to start empty");
        }
    }

    private static boolean holdsData(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(name -> name.startsWith("sqs.") || name.equals("dynamodb"));
        } catch (IOException e) {
            throw refused(dir, "it cannot be listed (" + reason(e) + ")");
        }
    }

    private static StartupException refused(Path dir, String why) {
        return new StartupException("serve refuses to start: data directory " + dir + ": " + why);
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
