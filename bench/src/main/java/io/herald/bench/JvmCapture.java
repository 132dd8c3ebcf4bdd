package io.herald.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The capture herald-mailprog does, written as a JVM program, for the mailprog drill to measure beside the script "for
 * the record" (why the shim is not Java): the same record (header, argc, argv, the environment from /proc/self/environ,
 * NUL-separated) written to tmp/ with O_EXCL, fsync'ed, renamed into new/, and new/ fsync'ed. Never used to capture
 * anything real.
 *
 * <p>{@code java ... JvmCapture SPOOL ARG...}; exit 0 once the record is durable, 75 otherwise.
 */
public final class JvmCapture {

    private JvmCapture() {}

    public static void main(String[] args) {
        Path spool = Path.of(args[0]);
        String name = ProcessHandle.current().pid() + "." + System.nanoTime() + ".jvm";
        Path tmp = spool.resolve("tmp").resolve(name);
        try {
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            item(record, "herald-mailprog 1");
            item(record, Integer.toString(args.length));
            item(record, "herald-mailprog");
            for (int i = 1; i < args.length; i++) {
                item(record, args[i]);
            }
            record.write(Files.readAllBytes(Path.of("/proc/self/environ")));
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(record.toByteArray());
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, spool.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(spool.resolve("new"), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            System.err.println("jvm capture: NOT spooled: " + e.getMessage());
            System.exit(75);
        }
    }

    private static void item(ByteArrayOutputStream out, String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
