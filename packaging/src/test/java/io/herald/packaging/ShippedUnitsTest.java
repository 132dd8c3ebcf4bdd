package io.herald.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The systemd units the packages ship, and the copies the docs quote, which must not drift apart. */
class ShippedUnitsTest {

    private static final Path UNITS = Path.of("src/main/dist/systemd");
    private static final Pattern INI_BLOCK = Pattern.compile("```ini\n(.*?)```", Pattern.DOTALL);

    private static List<Path> units() throws IOException {
        try (Stream<Path> files = Files.list(UNITS)) {
            return files.filter(f -> f.toString().endsWith(".service")).sorted().toList();
        }
    }

    @Test
    void everyUnitRunsAsHeraldCountsSigtermAsSuccessAndIsHardened() throws IOException {
        assertThat(units())
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "herald-api.service",
                        "herald-mailprog-forward.service",
                        "herald-pipeline.service",
                        "herald-serve.service",
                        "herald-telegram-bot.service");
        for (Path unit : units()) {
            assertThat(Files.readString(unit))
                    .as(unit.toString())
                    .contains(
                            "User=herald",
                            "ExecStart=/usr/bin/herald ",
                            "SuccessExitStatus=143",
                            "NoNewPrivileges=true",
                            "ProtectSystem=strict",
                            "ProtectHome=true",
                            "PrivateTmp=true",
                            "EnvironmentFile=-/etc/herald/secrets.env")
                    .containsPattern("(?m)^ReadWritePaths=(.* )?/var/lib/herald$");
        }
    }

    @Test
    void theUnitsTheDocsQuoteAreTheShippedOnes() throws IOException {
        int quoted = 0;
        for (String doc : List.of("../docs/slurm.md", "../docs/deploy.md")) {
            Matcher m = INI_BLOCK.matcher(Files.readString(Path.of(doc)));
            while (m.find()) {
                String block = m.group(1);
                if (!block.contains("[Service]") || !block.contains("ExecStart=") && !block.contains("[Unit]")) {
                    // Not a unit: a drop-in that only overrides some settings of a shipped one.
                    continue;
                }
                assertThat(block).as(doc).contains("SuccessExitStatus=143");
                String command = block.lines()
                        .filter(l -> l.startsWith("ExecStart=/usr/bin/herald "))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError(doc + " quotes a unit that does not run /usr/bin/herald"));
                Path shipped = null;
                for (Path unit : units()) {
                    if (Files.readString(unit).contains(command + "\n")) {
                        shipped = unit;
                    }
                }
                assertThat(shipped).as(doc + ": no shipped unit has " + command).isNotNull();
                assertThat(block).as(doc + " quotes " + shipped.getFileName()).isEqualTo(Files.readString(shipped));
                quoted++;
            }
        }
        assertThat(quoted).isPositive();
    }
}
