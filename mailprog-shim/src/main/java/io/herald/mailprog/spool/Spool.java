package io.herald.mailprog.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The spool directory herald-mailprog writes and the forwarder drains, maildir-style: {@code tmp/} (being written),
 * {@code new/} (complete records, renamed in atomically), {@code failed/} (records that cannot be sent, each with a
 * {@code .reason} file beside it).
 */
public final class Spool {

    /** slurmctld kills MailProg after 120 s: a temp file older than that was abandoned. */
    public static final Duration ABANDONED_AFTER = Duration.ofSeconds(150);

    /** Beside each record in failed/: why it is there. */
    public static final String REASON = ".reason";

    private final Path root;
    private final Path tmp;
    private final Path incoming;
    private final Path failed;

    public Spool(Path root) {
        this.root = root;
        this.tmp = root.resolve("tmp");
        this.incoming = root.resolve("new");
        this.failed = root.resolve("failed");
    }

    public Path root() {
        return root;
    }

    public Path incoming() {
        return incoming;
    }

    public Path failedDir() {
        return failed;
    }

    /** Creates tmp/, new/ and failed/ when missing. */
    public Spool ensureDirectories() {
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(incoming);
            Files.createDirectories(failed);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the spool directories under " + root + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Complete records waiting in new/, oldest first (capture time, then name). */
    public List<Path> pending() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        entries.add(new Entry(file, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)));
                    }
                } catch (NoSuchFileException gone) {
                    // Another forwarder pass removed it meanwhile.
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + incoming + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(Entry::modified)
                .thenComparing(e -> e.file().getFileName().toString()));
        return entries.stream().map(Entry::file).toList();
    }

    private record Entry(Path file, FileTime modified) {}

    /**
     * @throws UnreadableRecordException when the file is not a complete record
     * @throws UncheckedIOException when it cannot be read at all
     */
    public SpoolRecord read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Object uid = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Instant captured =
                    Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
            if (bytes.length == 0) {
                throw new UnreadableRecordException("empty file");
            }
            return SpoolFormat.parse(file.getFileName().toString(), bytes, uid instanceof Integer i ? i : -1, captured);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes a record that was delivered to SQS in full. */
    public void remove(String name) {
        try {
            Files.deleteIfExists(incoming.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + incoming.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** Moves a record from new/ to failed/ and writes why beside it ({@code name.reason}). */
    public void fail(String name, String reason) {
        moveToFailed(incoming.resolve(name), reason);
    }

    /**
     * A record set aside in failed/, with the reason written beside it.
     *
     * @param name the record's file name
     * @param reason the text of its {@code .reason} file, stripped; empty when there is none
     */
    public record SetAside(String name, String reason) {}

    /** The records in failed/, oldest first, each with its reason. */
    public List<SetAside> setAside() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(failed)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")
                        || name.endsWith(REASON)
                        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                entries.add(new Entry(file, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + failed + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(Entry::modified)
                .thenComparing(e -> e.file().getFileName().toString()));
        List<SetAside> out = new ArrayList<>();
        for (Entry e : entries) {
            String name = e.file().getFileName().toString();
            Path reason = failed.resolve(name + REASON);
            try {
                out.add(new SetAside(
                        name,
                        Files.isRegularFile(reason)
                                ? Files.readString(reason, StandardCharsets.UTF_8)
                                        .strip()
                                : ""));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + reason + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /**
     * Puts a set-aside record back into new/ for the forwarder to try again, and removes its reason (a new one is
     * written if it fails again). The rename into new/ is what the forwarder watches for.
     *
     * @throws UncheckedIOException when it cannot be moved (it then stays in failed/ with its reason)
     */
    public void retry(String name) {
        Path record = failed.resolve(name);
        Path target = incoming.resolve(name);
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(
                        target.toString(), null, "a record of that name is already waiting");
            }
            Files.move(record, target, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(failed.resolve(name + REASON));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + record + " back to " + incoming + ": " + e.getMessage(), e);
        }
    }

    /** Temp files herald-mailprog left behind (killed mid-write): moved to failed/ so nobody loses sight of them. */
    public int sweepAbandoned(Instant now) {
        int moved = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path file : files) {
                try {
                    Instant modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)
                            .toInstant();
                    if (modified.plus(ABANDONED_AFTER).isBefore(now)) {
                        moveToFailed(
                                file,
                                "herald-mailprog did not finish writing this record (killed, or the disk "
                                        + "filled up); it may be incomplete");
                        moved++;
                    }
                } catch (NoSuchFileException gone) {
                    // Renamed into new/ meanwhile: the normal case.
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tmp + ": " + e.getMessage(), e);
        }
        return moved;
    }

    private void moveToFailed(Path file, String reason) {
        String name = file.getFileName().toString();
        try {
            Files.createDirectories(failed);
            // The reason first: a record in failed/ without its reason would be a riddle.
            Files.writeString(failed.resolve(name + REASON), reason + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(file, failed.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, failed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException gone) {
            // Already moved or removed by an earlier pass.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " to " + failed + ": " + e.getMessage(), e);
        }
    }
}
