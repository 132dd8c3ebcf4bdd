package io.herald.mailprog.goslmailer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoslmailerConfigTest {

    @TempDir
    Path dir;

    /** goslmailer's annotated example, '#' comments included (people copy them). */
    private static final String ANNOTATED = """
            {
              "logfile": "/tmp/goslmailer.log",                 # append logs here
              "binpaths": {
                "sacct":"/opt/slurm/bin/sacct",
                "sstat":"/opt/slurm/bin/sstat"
              },
              "defaultconnector": "msteams",
              "connectors": {
                "msteams": {
                  "name": "dev channel",
                  "url": "https://msteams/webhook/url",
                  "useLookup": "GECOS"
                },
                "mailto": {
                  "name": "original slurm mail functionality, extended.",
                  "mailCmd": "/usr/bin/mutt",
                  "allowList": ".+@(imp|imba.oeaw|gmi.oeaw).ac.at",
                  "blockList": ""
                },
                "telegram": {
                  "token": "PasteHereTelegramBotToken",
                  "format": "MarkdownV2"
                },
                "textfile": { "path": "/tmp" }
              },
              "qosmap": {
                "3600": "RAPID",
                "28800": "SHORT",
                "172800": "MEDIUM",
                "1209600": "LONG"
              }
            }
            """;

    @Test
    void aGoslmailerSitesSettingsFillInHeraldsDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("goslmailer.conf"), ANNOTATED);

        GoslmailerConfig.Applied applied = GoslmailerConfig.read(file).applyTo(HeraldConfig.defaults());

        HeraldConfig c = applied.config();
        assertThat(c.receivers().defaultScheme()).isEqualTo("msteams");
        assertThat(c.mailprog().allowList()).containsExactly("mailto=.+@(imp|imba.oeaw|gmi.oeaw).ac.at");
        assertThat(c.mailprog().qosLimits())
                .containsExactly(
                        java.util.Map.entry("RAPID", Duration.ofHours(1)),
                                java.util.Map.entry("SHORT", Duration.ofHours(8)),
                        java.util.Map.entry("MEDIUM", Duration.ofDays(2)),
                                java.util.Map.entry("LONG", Duration.ofDays(14)));
        assertThat(c.mailprog().sacct()).isEqualTo("/opt/slurm/bin/sacct");
        assertThat(c.telegramBot().botToken().isSet())
                .as("the placeholder token is not a token")
                .isFalse();
        assertThat(applied.notes())
                .anySatisfy(n -> assertThat(n).contains("not taken over").contains("connectors.msteams.url"));
    }

    @Test
    void heraldsOwnSettingsWinOverTheGoslmailerFile() throws Exception {
        Path file = Files.writeString(dir.resolve("goslmailer.conf"), ANNOTATED);
        HeraldConfig own = HeraldConfig.defaults()
                .withMailprog(HeraldConfig.defaults()
                        .mailprog()
                        .withReceivers("", List.of("mailto=.+@example\\.org"))
                        .withQos(List.of("short=04:00:00")));

        HeraldConfig c = GoslmailerConfig.read(file).applyTo(own).config();

        assertThat(c.mailprog().allowList()).containsExactly("mailto=.+@example\\.org");
        assertThat(c.mailprog().qos()).containsExactly("short=04:00:00");
    }

    @Test
    void aTelegramTokenIsTakenForTheBot() throws Exception {
        Path file = Files.writeString(
                dir.resolve("goslmailer.conf"), "{\"connectors\":{\"telegram\":{\"token\":\"42:real\"}}}");

        HeraldConfig c =
                GoslmailerConfig.read(file).applyTo(HeraldConfig.defaults()).config();

        assertThat(c.telegramBot().botToken().reveal()).isEqualTo("42:real");
        assertThat(c.toString()).doesNotContain("42:real");
    }

    @Test
    void anAllowListThatIsNotARegexIsRefusedWithItsKey() throws Exception {
        Path file = Files.writeString(
                dir.resolve("goslmailer.conf"), "{\"connectors\":{\"mailto\":{\"allowList\":\"(\"}}}");

        assertThatThrownBy(() -> GoslmailerConfig.read(file)).hasMessageContaining("connectors.mailto.allowList");
    }

    @Test
    void defaultsOfMailprogConfigAreUntouchedWithoutAFile() {
        assertThat(MailprogConfig.defaults().goslmailerConfig()).isEmpty();
    }
}
