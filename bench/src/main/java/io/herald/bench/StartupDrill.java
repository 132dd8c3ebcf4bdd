package io.herald.bench;

import io.herald.cli.Herald;
import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long a {@code herald} command takes to start, measured as a site runs it: a fresh JVM per run on the classpath
 * the build writes for the cli ({@code cli/target/classpath.txt}), side by side with the classpath of before the
 * embedded engines moved out (plus {@code embedded/target/classpath.txt}), with the AppCDS archive
 * {@code build-cds-archive.sh} builds, and with that archive plus C1 only and SerialGC. Then as shipped: the built
 * image's {@code bin/herald} ({@code packaging/target/herald-VERSION}) and an installed package's
 * ({@code /usr/bin/herald} when a package is installed, or {@code --installed DIR}, a package root such as
 * {@code /usr/lib/herald} or an unpacked tarball), each with its own archive and flags. Runs are interleaved (every
 * variant of a command, then the next run), so a busy machine slows all alike; the table gives medians. The forwarder
 * counts until it prints its "watching" line, against an SQS here.
 */
public final class StartupDrill implements Drill {

    private static final long GOAL_MILLIS = 500;
    private static final long COMMAND_LIMIT_SECONDS = 60;
    /** Index of "slim + AppCDS + C1, SerialGC", the best of the java command lines; the shipped ones follow. */
    private static final int FASTEST_JAVA_VARIANT = 3;

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String description() {
        return "start-up of `herald --version`, `queues --help` and the forwarder: before (with the embedded jars), "
                + "slim classpath, + AppCDS archive, + C1/SerialGC, the built image's and an installed package's "
                + "bin/herald (--installed DIR, default /usr/bin/herald if there); medians of --runs 5, ~4 min";
    }

    /** What runs {@code herald}: a java command line, or a shipped {@code bin/herald}; arguments follow. */
    private record Variant(String label, List<String> command) {

        static Variant java(String label, List<String> jvmOptions, String classpath) {
            List<String> line = new ArrayList<>();
            line.add(javaBinary());
            line.addAll(parentFlags());
            line.addAll(jvmOptions);
            line.addAll(List.of("-cp", classpath, Herald.class.getName()));
            return new Variant(label, List.copyOf(line));
        }
    }

    private record Command(String label, List<String> args, String readyLine) {}

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        DrillOptions options = DrillOptions.parse(name(), context.args(), Set.of("--runs", "--installed"));
        int runs = options.intOption("--runs", 5, 1);
        List<Variant> shipped = shippedVariants(options.given().get("--installed"));
        Path cliJar = codeSource(Herald.class);
        Path embeddedJar = codeSource(EmbeddedSqs.class);
        String production = productionClasspath(cliJar);
        String embedded = embeddedJar + ":"
                + Files.readString(embeddedJar.resolveSibling("classpath.txt")).strip();
        Path script = cliJar.getParent().getParent().resolve("src/main/cds/build-cds-archive.sh");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("startup: " + script + " is missing: run the drill from the source tree");
        }
        try (ScratchDir scratch = new ScratchDir("herald-startup");
                EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
            Path archive = scratch.path().resolve("herald.jsa");
            context.progress().println("bench: startup: building the AppCDS archive with " + script.getFileName());
            long buildStart = System.nanoTime();
            Path jvmOptions = Files.write(scratch.path().resolve("jvm.options"), parentFlags());
            buildArchive(script, production, jvmOptions, archive);
            double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
            HeraldConfig.Sqs sqsConfig =
                    HeraldConfig.defaults().sqs().withEndpoint(sqs.endpoint().toString());
            try (var client = io.herald.core.sqs.SqsClients.create(sqsConfig)) {
                SqsQueues.provision(client, sqsConfig);
            }
            Path spool = scratch.path().resolve("spool");
            for (String sub : List.of("tmp", "new", "failed")) {
                Files.createDirectories(spool.resolve(sub));
            }
            Map<String, String> env = Map.of(
                    "HERALD_SQS_ENDPOINT", sqs.endpoint().toString(), "HERALD_MAILPROG_SPOOL_DIR", spool.toString());

            String cds = "-XX:SharedArchiveFile=" + archive;
            List<Variant> variants = new ArrayList<>(List.of(
                    Variant.java("before: + embedded jars", List.of(), union(production, embedded)),
                    Variant.java("slim classpath", List.of(), production),
                    Variant.java("slim + AppCDS", List.of(cds), production),
                    Variant.java(
                            "slim + AppCDS + C1, SerialGC",
                            List.of(cds, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                            production)));
            variants.addAll(shipped);
            List<Command> commands = List.of(
                    new Command("herald --version", List.of("--version"), null),
                    new Command("herald queues --help", List.of("queues", "--help"), null),
                    new Command("forwarder to \"watching\"", List.of("mailprog", "forward"), "watching"));

            Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
            commands.forEach(c -> {
                Map<String, List<Double>> byVariant = new LinkedHashMap<>();
                variants.forEach(v -> byVariant.put(v.label(), new ArrayList<>()));
                samples.put(c.label(), byVariant);
            });
            for (int run = 1; run <= runs; run++) {
                context.progress().printf(Locale.ROOT, "bench: startup: run %d of %d%n", run, runs);
                for (Command command : commands) {
                    for (Variant variant : variants) {
                        samples.get(command.label())
                                .get(variant.label())
                                .add(millis(variant, command, env, scratch.path()));
                    }
                }
            }
            return result(runs, samples, variants, production, embedded, archive, buildSeconds);
        }
    }

    private DrillResult result(
            int runs,
            Map<String, Map<String, List<Double>>> samples,
            List<Variant> variants,
            String production,
            String embedded,
            Path archive,
            double buildSeconds)
            throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("runs", runs);
        figures.put("productionClasspath", classpathFigures(production));
        figures.put("embeddedClasspath", classpathFigures(embedded));
        figures.put("beforeClasspath", classpathFigures(union(production, embedded)));
        figures.put("archiveMegabytes", Math.round(Files.size(archive) / 1e5) / 10.0);
        figures.put("archiveBuildSeconds", Math.round(buildSeconds * 10) / 10.0);
        figures.put("java", Runtime.version().toString());
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                """
                Start-up, median of %d runs each, interleaved (ms); production classpath %s, before %s
                | command | %s | AppCDS + C1 vs before |
                |---|%s---|
                """,
                runs,
                describe(production),
                describe(union(production, embedded)),
                String.join(" | ", variants.stream().map(Variant::label).toList()),
                "---|".repeat(variants.size())));
        Map<String, Object> medians = new LinkedHashMap<>();
        List<String> goalMisses = new ArrayList<>();
        samples.forEach((command, byVariant) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            List<String> cells = new ArrayList<>();
            byVariant.forEach((variant, values) -> {
                double median = Percentile.of(values, 0.5);
                row.put(variant, Math.round(median));
                cells.add(Long.toString(Math.round(median)));
            });
            double before = Percentile.of(byVariant.get(variants.getFirst().label()), 0.5);
            double best = Percentile.of(
                    byVariant.get(variants.get(FASTEST_JAVA_VARIANT).label()), 0.5);
            row.put("samples", byVariant);
            medians.put(command, row);
            table.append(String.format(
                    Locale.ROOT, "| %s | %s | %.2fx |%n", command, String.join(" | ", cells), before / best));
            // The goal is for the ways a site runs a short command: with the archive and flags, and as shipped.
            for (Variant fast : variants.subList(FASTEST_JAVA_VARIANT, variants.size())) {
                double median = Percentile.of(byVariant.get(fast.label()), 0.5);
                if (!command.startsWith("forwarder") && median > GOAL_MILLIS) {
                    goalMisses.add(command + " (" + fast.label() + ") " + Math.round(median) + " ms");
                }
            }
        });
        figures.put("medianMillis", medians);
        figures.put("goalMillis", GOAL_MILLIS);
        // The goal is for a quiet machine; on a busy one every figure grows, so a miss is reported, not a failure.
        figures.put("goalMissedBy", goalMisses);
        return new DrillResult(figures, table.toString(), List.of());
    }

    private static Map<String, Object> classpathFigures(String classpath) throws IOException {
        long bytes = 0;
        String[] entries = classpath.split(":");
        for (String entry : entries) {
            bytes += Files.size(Path.of(entry));
        }
        return Map.of("jars", entries.length, "megabytes", Math.round(bytes / 1e5) / 10.0);
    }

    private static String describe(String classpath) throws IOException {
        Map<String, Object> f = classpathFigures(classpath);
        return f.get("jars") + " jars / " + f.get("megabytes") + " MB";
    }

    private static void buildArchive(Path script, String classpath, Path jvmOptions, Path archive)
            throws IOException, InterruptedException {
        Process build = new ProcessBuilder(
                        script.toString(),
                        "--java",
                        javaBinary(),
                        "--options",
                        jvmOptions.toString(),
                        "--classpath",
                        classpath,
                        "--out",
                        archive.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new IllegalStateException("startup: the AppCDS archive was not built: " + output);
        }
    }

    /** Wall time from the process start to its exit, or to its ready line, in milliseconds. */
    private static double millis(Variant variant, Command command, Map<String, String> env, Path workDir)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(variant.command());
        line.addAll(command.args());
        ProcessBuilder builder =
                new ProcessBuilder(line).directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            if (command.readyLine() == null) {
                process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                if (!process.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("startup: `herald " + String.join(" ", command.args()) + "` ("
                            + variant.label() + ") did not exit 0 within " + COMMAND_LIMIT_SECONDS + " s");
                }
                return (System.nanoTime() - start) / 1e6;
            }
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l = out.readLine(); l != null; l = out.readLine()) {
                        if (l.contains(command.readyLine())) {
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    return false;
                }
            });
            boolean seen;
            try {
                seen = ready.get(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                seen = false;
            }
            double elapsed = (System.nanoTime() - start) / 1e6;
            if (!seen) {
                throw new IllegalStateException("startup: `herald " + String.join(" ", command.args()) + "` ("
                        + variant.label() + ") never printed '" + command.readyLine() + "'");
            }
            return elapsed;
        } finally {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * The built image's bin/herald (when built) and an installed one: {@code --installed DIR} (DIR/bin/herald must
     * exist), else {@code /usr/bin/herald} when a package put it there.
     */
    private static List<Variant> shippedVariants(String installed) throws URISyntaxException {
        List<Variant> shipped = new ArrayList<>();
        Path repository = codeSource(Herald.class).getParent().getParent().getParent();
        try (var images = Files.newDirectoryStream(repository.resolve("packaging/target"), "herald-*")) {
            for (Path image : images) {
                if (Files.isExecutable(image.resolve("bin/herald")) && Files.isDirectory(image.resolve("runtime"))) {
                    shipped.add(new Variant(
                            "built image bin/herald",
                            List.of(image.resolve("bin/herald").toString())));
                    break;
                }
            }
        } catch (IOException e) {
            // No packaging/target: the image was not built; the table goes without it.
        }
        if (installed != null) {
            Path launcher = Path.of(installed).resolve("bin/herald");
            if (!Files.isExecutable(launcher)) {
                throw new BadDrillArgumentException("startup: --installed " + installed + " holds no executable "
                        + "bin/herald: give a package root such as /usr/lib/herald or an unpacked tarball");
            }
            shipped.add(new Variant("installed " + launcher, List.of(launcher.toString())));
        } else if (Files.isExecutable(Path.of("/usr/bin/herald"))) {
            shipped.add(new Variant("installed /usr/bin/herald", List.of("/usr/bin/herald")));
        }
        return shipped;
    }

    /**
     * The jars the packages run every command with: the built image's lib/ (not lib/embedded, which only `local` and
     * `serve` add). The cli module writes no classpath.txt of its own since the packaging module assembles the image,
     * so the image is the one place that says what ships.
     */
    private static String productionClasspath(Path cliJar) throws IOException {
        Path repository = cliJar.getParent().getParent().getParent();
        try (var images = Files.newDirectoryStream(repository.resolve("packaging/target"), "herald-*")) {
            for (Path image : images) {
                Path lib = image.resolve("lib");
                if (Files.isRegularFile(lib.resolve("herald.jar"))) {
                    try (var jars = Files.list(lib)) {
                        return String.join(
                                ":",
                                jars.filter(j -> j.toString().endsWith(".jar"))
                                        .sorted()
                                        .map(Path::toString)
                                        .toList());
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // Falls through to the message below.
        }
        throw new IllegalStateException("startup: no application image under " + repository.resolve("packaging/target")
                + ": run ./herald build first");
    }

    /** Every jar of both, once, in order: the classpath every command had while core carried the engines. */
    private static String union(String first, String second) {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>(List.of(first.split(":")));
        entries.addAll(List.of(second.split(":")));
        return String.join(":", entries);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /** The flags the launcher gives every command (native access, Unsafe), as the bench JVM got them. */
    private static List<String> parentFlags() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(f -> f.startsWith("--enable-native-access") || f.startsWith("--sun-misc-unsafe-memory-access"))
                .toList();
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        Path location =
                Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
            throw new IllegalStateException("startup: " + type.getSimpleName() + " is not loaded from its built jar ("
                    + location + "): run `./herald bench startup`, which builds the jars first");
        }
        return location;
    }
}
