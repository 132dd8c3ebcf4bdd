package io.herald.mailprog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real herald-mailprog under dash, the way slurmctld does: an exact argv, an exact environment (nothing else:
 * no PATH, HOME or LANG), stdin /dev/null. Values are passed as bytes through a generated launcher ({@code printf}
 * octal escapes), so tests control every byte whatever the JVM's own encoding is.
 */
public final class Shim {

    public static final Path DASH =
            Files.isExecutable(Path.of("/bin/dash")) ? Path.of("/bin/dash") : Path.of("/usr/bin/dash");

    public record Result(int exitCode, String stdout, String stderr) {}

    private final Path script;
    private final Path spool;
    private final Path work;
    private int launchers;

    private Shim(Path script, Path spool, Path work) {
        this.script = script;
        this.spool = spool;
        this.work = work;
    }

    /** Writes the shipped script (SPOOL= pointing at {@code spool}) into {@code work} and creates the spool. */
    public static Shim install(Path work, Path spool) throws IOException {
        Files.createDirectories(spool.resolve("tmp"));
        Files.createDirectories(spool.resolve("new"));
        Path script = work.resolve("herald-mailprog");
        Files.writeString(script, Mailprog.captureScript(spool.toString()));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Shim(script, spool, work);
    }

    public Path script() {
        return script;
    }

    public Path spool() {
        return spool;
    }

    public Result run(List<String> args, List<String> env) throws IOException, InterruptedException {
        return runBytes(
                args.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList(),
                env.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toList());
    }

    public Result runBytes(List<byte[]> args, List<byte[]> env) throws IOException, InterruptedException {
        Path launcher = work.resolve("launch-" + (++launchers) + ".sh");
        Files.writeString(launcher, launcher(args, env));
        ProcessBuilder pb = new ProcessBuilder(DASH.toString(), launcher.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("herald-mailprog did not exit within 60 s");
        }
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** A dash script that execs env -i VAR=... dash herald-mailprog ARG... with exactly these bytes. */
    public String launcher(List<byte[]> args, List<byte[]> env) {
        StringBuilder sh = new StringBuilder();
        List<String> envRefs = new ArrayList<>();
        List<String> argRefs = new ArrayList<>();
        for (int i = 0; i < env.size(); i++) {
            sh.append(assign("e" + i, env.get(i)));
            envRefs.add("\"$e" + i + "\"");
        }
        for (int i = 0; i < args.size(); i++) {
            sh.append(assign("a" + i, args.get(i)));
            argRefs.add("\"$a" + i + "\"");
        }
        sh.append("exec /usr/bin/env -i ")
                .append(String.join(" ", envRefs))
                .append(' ')
                .append(DASH)
                .append(" '")
                .append(script)
                .append("' ")
                .append(String.join(" ", argRefs))
                .append('\n');
        return sh.toString();
    }

    /** {@code name=$(printf '\ooo...X'); name=${name%X}}: the X keeps trailing newlines from being stripped. */
    private static String assign(String name, byte[] value) {
        StringBuilder octal = new StringBuilder();
        for (byte b : value) {
            octal.append(String.format(Locale.ROOT, "\\%03o", b & 0xff));
        }
        return name + "=$(printf '" + octal + "X'); " + name + "=${" + name + "%X}\n";
    }

    public List<Path> records() throws IOException {
        try (var files = Files.list(spool.resolve("new"))) {
            return files.sorted().toList();
        }
    }

    public List<Path> temps() throws IOException {
        try (var files = Files.list(spool.resolve("tmp"))) {
            return files.toList();
        }
    }
}
