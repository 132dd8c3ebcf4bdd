package io.herald.mailprog.spool;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the record herald-mailprog writes: NUL-terminated items, the header {@code "herald-mailprog 1"}, the argument
 * count N, N arguments, then the environment as /proc/PID/environ holds it (each entry NUL-terminated). Nothing is
 * escaped: C strings cannot contain NUL, so NUL cannot be part of an item.
 */
public final class SpoolFormat {

    public static final String HEADER = "herald-mailprog 1";

    private SpoolFormat() {}

    /** @throws UnreadableRecordException saying what is wrong, never quoting the content */
    public static SpoolRecord parse(String name, byte[] bytes, int uid, Instant capturedAt) {
        List<byte[]> items = split(bytes);
        if (items.isEmpty() || !HEADER.equals(new String(items.getFirst(), StandardCharsets.US_ASCII))) {
            throw new UnreadableRecordException("not a herald-mailprog record (header '" + HEADER + "' missing)");
        }
        if (bytes[bytes.length - 1] != 0) {
            throw new UnreadableRecordException("truncated: the last item is not NUL-terminated");
        }
        if (items.size() < 2) {
            throw new UnreadableRecordException("truncated: no argument count");
        }
        int argc;
        try {
            argc = Integer.parseInt(new String(items.get(1), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new UnreadableRecordException("the argument count is not a number");
        }
        if (argc < 1 || items.size() < 2 + argc) {
            throw new UnreadableRecordException(
                    "truncated: " + argc + " arguments announced, " + Math.max(0, items.size() - 2) + " present");
        }
        List<byte[]> argv = items.subList(2, 2 + argc);
        List<byte[]> env = items.subList(2 + argc, items.size());
        return new SpoolRecord(name, argv, env, uid, capturedAt);
    }

    private static List<byte[]> split(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                out.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            out.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return out;
    }
}
