package io.herald.mailprog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Slurm fixtures (mailprog_cases.json, sacct_samples.txt) and a fake sacct replaying the samples. */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One case of mailprog_cases.json. */
    public record Case(String id, List<String> argv, Map<String, String> env, JsonNode expect, JsonNode raw) {
        /** argv[1..]: what follows the program name. */
        public List<String> args() {
            return argv.subList(1, argv.size());
        }

        public List<String> envEntries() {
            List<String> out = new ArrayList<>();
            env.forEach((k, v) -> out.add(k + "=" + v));
            return out;
        }
    }

    private Fixtures() {}

    public static List<Case> cases() {
        JsonNode root = JSON.valueToTree(read("slurm/mailprog_cases.json", JsonNode.class));
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root) {
            List<String> argv = new ArrayList<>();
            c.path("argv").forEach(a -> argv.add(a.asText()));
            Map<String, String> env = new LinkedHashMap<>();
            c.path("env")
                    .fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            out.add(new Case(c.path("id").asText(), argv, env, c.path("expect"), c));
        }
        return out;
    }

    public static Case caseNamed(String id) {
        return cases().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    public static String text(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String resource, Class<T> type) {
        try {
            return JSON.readValue(text(resource), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a fake sacct into {@code dir}: a POSIX sh script that runs fake-sacct.awk over the samples.
     * {@link #lag(Path, String, int)} makes it answer "still running" first.
     */
    public static Path fakeSacct(Path dir) throws IOException {
        Path samples = Files.writeString(dir.resolve("sacct_samples.txt"), text("slurm/sacct_samples.txt"));
        Path awk = Files.writeString(dir.resolve("fake-sacct.awk"), text("slurm/fake-sacct.awk"));
        Path script = dir.resolve("sacct");
        Files.writeString(script, """
                #!/bin/sh
                # Fake sacct for tests: sacct -j ID ... --format FIELDS
                id=; fmt=
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -j) id=$2; shift ;;
                    --format) fmt=$2; shift ;;
                  esac
                  shift
                done
                echo "$id" >> '%1$s/calls'
                exec /usr/bin/awk -v id="$id" -v fmt="$fmt" -v lagfile='%1$s/lag' -v statefile='%1$s/state' \\
                  -v steplagfile='%1$s/steplag' -f '%2$s' '%3$s'
                """.formatted(dir, awk, samples));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!Files.exists(dir.resolve("lag"))) {
            Files.writeString(dir.resolve("lag"), "");
        }
        return script;
    }

    /** The fake answers "still running" to the first {@code calls} queries about {@code jobId}. */
    public static void lag(Path sacctDir, String jobId, int calls) throws IOException {
        Files.writeString(
                sacctDir.resolve("lag"),
                jobId + " " + calls + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The fake leaves out {@code jobId}'s step rows (peak memory) from its first {@code calls} answers. */
    public static void stepLag(Path sacctDir, String jobId, int calls) throws IOException {
        Files.writeString(
                sacctDir.resolve("steplag"),
                jobId + " " + calls + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** How often the fake was asked about {@code jobId}. */
    public static long calls(Path sacctDir, String jobId) throws IOException {
        Path calls = sacctDir.resolve("calls");
        return Files.exists(calls)
                ? Files.readAllLines(calls).stream().filter(jobId::equals).count()
                : 0;
    }
}
