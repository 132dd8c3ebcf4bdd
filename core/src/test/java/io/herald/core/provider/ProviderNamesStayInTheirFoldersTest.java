package io.herald.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Adding a channel is one folder per module side, one registration line and one test class: so no main source outside a
 * provider's package (and no source of the web page) names a provider the registry knows, as an identifier
 * ({@code SesConfig}, {@code sendGrid}, {@code TELEGRAM}) or in a string literal. Comments may give examples. What has
 * to stay outside, and why, is the list in docs/providers.md ("What lives outside a provider's folder, and why"), which
 * this test reads, so the list and the code cannot drift apart. The names come from {@link ProviderRegistry}, so a new
 * provider is covered the moment it registers.
 */
class ProviderNamesStayInTheirFoldersTest {

    private static final String EXCEPTIONS_HEADING = "## What lives outside a provider's folder, and why";
    /** A run of identifier characters: an identifier, a keyword, or a word inside a string literal. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_$]+");
    /** The words of a camelCase, PascalCase or UPPER_SNAKE identifier. */
    private static final Pattern WORD = Pattern.compile("[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+");

    private final Path root = repositoryRoot();
    private final List<String> names = ProviderRegistry.installed().names();

    @Test
    void noMainSourceOutsideAProviderPackageNamesAProvider() throws IOException {
        List<String> exceptions = documentedExceptions();
        List<String> paths = exceptions.stream().filter(e -> e.contains("/")).toList();
        List<String> identifiers = exceptions.stream()
                .filter(e -> !e.contains("/"))
                .map(e -> e.toLowerCase(Locale.ROOT))
                .toList();
        List<String> found = new ArrayList<>();
        for (Path file : sources()) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (insideProviderPackage(relative) || paths.stream().anyMatch(relative::startsWith)) {
                continue;
            }
            String[] lines = withoutComments(Files.readString(file, StandardCharsets.UTF_8))
                    .split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Set<String> named = providersNamedIn(lines[i], identifiers);
                if (!named.isEmpty()) {
                    found.add(relative + ":" + (i + 1) + " names " + named + ": " + lines[i].strip());
                }
            }
        }
        assertThat(found)
                .as("provider names outside the providers' packages: derive them from ProviderRegistry, move the code"
                        + " into the provider's package or descriptor, or document why it cannot move in"
                        + " docs/providers.md (\"" + EXCEPTIONS_HEADING.substring(3) + "\")")
                .isEmpty();
    }

    @Test
    void everyDocumentedPathStillExists() throws IOException {
        assertThat(documentedExceptions())
                .isNotEmpty()
                .filteredOn(e -> e.contains("/"))
                .allSatisfy(path -> assertThat(root.resolve(path)).exists());
    }

    @Test
    void theScanSeesCamelCaseSnakeCaseAndStringsButNotComments() {
        assertThat(providersNamedIn("SendGridConfig sendgrid = configured.of(SendGridConfig.class);", List.of()))
                .containsExactly("sendgrid");
        assertThat(providersNamedIn("static final String X = \"mailto:a@b.org,telegram:1\";", List.of()))
                .containsExactly("telegram");
        assertThat(providersNamedIn("MS_TEAMS_URL, sesRegion", List.of())).containsExactlyInAnyOrder("msteams", "ses");
        assertThat(providersNamedIn("sessions, uses, assessment, smtpish", List.of()))
                .isEmpty();
        assertThat(providersNamedIn("cfg.telegramBot().registry(), \"telegram\"", List.of("telegrambot")))
                .as("an identifier the exceptions list names is skipped, the name alone is not")
                .containsExactly("telegram");
        assertThat(withoutComments("a(); // ses\n/* slack\n */ b(\"// not a comment: ntfy\");"))
                .isEqualTo("a(); \n\n b(\"// not a comment: ntfy\");");
    }

    /**
     * The registry's provider names among the words of {@code code}, leaving out identifiers that contain one of
     * {@code allowed} (lower case).
     */
    private Set<String> providersNamedIn(String code, List<String> allowed) {
        Set<String> named = new TreeSet<>();
        Matcher token = TOKEN.matcher(code);
        while (token.find()) {
            String lower = token.group().toLowerCase(Locale.ROOT);
            if (allowed.stream().anyMatch(lower::contains)) {
                continue;
            }
            List<String> words = new ArrayList<>();
            for (String part : token.group().split("[_$]")) {
                Matcher word = WORD.matcher(part);
                while (word.find()) {
                    words.add(word.group().toLowerCase(Locale.ROOT));
                }
            }
            // Joined neighbours too, so SendGrid and MsTeams read as sendgrid and msteams.
            for (int from = 0; from < words.size(); from++) {
                StringBuilder joined = new StringBuilder();
                for (int to = from; to < Math.min(words.size(), from + 3); to++) {
                    joined.append(words.get(to));
                    if (names.contains(joined.toString())) {
                        named.add(joined.toString());
                    }
                }
            }
        }
        return named;
    }

    /**
     * The text with {@code //} and {@code /* *\/} comments removed (their line breaks kept, so line numbers stay),
     * string, character and template literals left as they are.
     */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (c == '"' || c == '\'' || c == '`') {
                String quote = source.startsWith("\"\"\"", i) ? "\"\"\"" : String.valueOf(c);
                int end = i + quote.length();
                while (end < n && !source.startsWith(quote, end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + quote.length());
                out.append(source, i, end);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Inside {@code .../provider/<name>/}: a provider's own package in any module. */
    private boolean insideProviderPackage(String relative) {
        return names.stream().anyMatch(name -> relative.contains("/provider/" + name + "/"));
    }

    /** Every module's main Java sources, and the web page's sources (not its tests or their JSON fixtures). */
    private List<Path> sources() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> walk = Files.walk(main)) {
                        walk.filter(p -> p.toString().endsWith(".java"))
                                .sorted()
                                .forEach(files::add);
                    }
                }
            }
        }
        Path web = root.resolve("web-client/src");
        if (Files.isDirectory(web)) {
            try (Stream<Path> walk = Files.walk(web)) {
                walk.filter(p -> p.toString().matches(".*\\.tsx?$")
                                && !p.toString().matches(".*\\.test\\.tsx?$"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /**
     * What the section in docs/providers.md lists as {@code - `item`}: paths (files, or folders ending in '/') and
     * identifiers (no '/'), which are allowed wherever they occur.
     */
    private List<String> documentedExceptions() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("docs/providers.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf(EXCEPTIONS_HEADING);
        assertThat(start)
                .as("docs/providers.md has the section " + EXCEPTIONS_HEADING)
                .isNotNegative();
        List<String> paths = new ArrayList<>();
        Pattern item = Pattern.compile("^- `([^`]+)`");
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            Matcher m = item.matcher(line);
            if (m.find()) {
                paths.add(m.group(1));
            }
        }
        return paths;
    }

    private static Path repositoryRoot() {
        // Surefire runs in the module's folder; the repository is its parent.
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.exists(root.resolve("docs/providers.md"))) {
            throw new UncheckedIOException(new IOException("not in a module of the Herald repository: " + module));
        }
        return root;
    }
}
