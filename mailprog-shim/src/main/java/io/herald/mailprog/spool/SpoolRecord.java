package io.herald.mailprog.spool;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One MailProg invocation as herald-mailprog captured it: argv and environment byte for byte, plus when and as whom
 * (the spool file's mtime and owner).
 *
 * <p>Slurm passes user text (job names, --mail-user) as raw bytes; it is usually UTF-8 but nothing enforces that. The
 * raw bytes stay available here; the text views replace what is not UTF-8 with U+FFFD instead of failing, and
 * {@link #notUtf8()} says which items needed that.
 *
 * @param name the spool file's name
 * @param argv the arguments, argv[0] (the script path) first
 * @param environment every {@code NAME=value} entry, in the order the process received them
 * @param uid the uid the capture ran as
 * @param capturedAt when it was captured
 */
public record SpoolRecord(String name, List<byte[]> argv, List<byte[]> environment, int uid, Instant capturedAt) {

    public SpoolRecord {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
    }

    /** @return argument {@code i} as text, if there is one */
    public Optional<String> arg(int i) {
        return i < argv.size() ? Optional.of(text(argv.get(i))) : Optional.empty();
    }

    public int argc() {
        return argv.size();
    }

    /** The environment as text; a later duplicate of a name wins, as getenv would see it. */
    public Map<String, String> env() {
        Map<String, String> out = new LinkedHashMap<>();
        for (byte[] entry : environment) {
            String text = text(entry);
            int eq = text.indexOf('=');
            if (eq > 0) {
                out.put(text.substring(0, eq), text.substring(eq + 1));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Names (argv[i] or environment variables) whose bytes are not valid UTF-8. */
    public List<String> notUtf8() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            if (!isUtf8(argv.get(i))) {
                out.add("argv[" + i + "]");
            }
        }
        for (byte[] entry : environment) {
            if (!isUtf8(entry)) {
                String text = text(entry);
                int eq = text.indexOf('=');
                out.add(eq > 0 ? text.substring(0, eq) : "environment entry");
            }
        }
        return out;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolRecord r
                && name.equals(r.name)
                && uid == r.uid
                && capturedAt.equals(r.capturedAt)
                && sameBytes(argv, r.argv)
                && sameBytes(environment, r.environment);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        // Never the environment: it is the user's job context, not log material.
        return "SpoolRecord[" + name + ", argc=" + argv.size() + ", env=" + environment.size() + " entries, uid=" + uid
                + ", capturedAt=" + capturedAt + "]";
    }

    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
