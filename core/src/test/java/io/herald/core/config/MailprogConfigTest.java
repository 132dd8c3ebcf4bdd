package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mailprog and telegramBot sections: defaults, variables and the problems they name. */
class MailprogConfigTest {

    private static HeraldConfig load(Map<String, String> env) {
        return new ConfigLoader(env).load(Optional.empty());
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(load(Map.of()).mailprog()).isEqualTo(MailprogConfig.defaults());
    }

    @Test
    void everyMailprogKeyHasItsVariable() {
        HeraldConfig c = load(Map.of(
                "HERALD_MAILPROG_SPOOL_DIR",
                "/srv/spool",
                "HERALD_MAILPROG_THROTTLE_MAX_PER_USER",
                "3",
                "HERALD_MAILPROG_ALLOW_LIST",
                "mailto=.+@example\\.org,telegram=[0-9]+",
                "HERALD_MAILPROG_HINTS_CPU_PERCENT",
                "30",
                "HERALD_TELEGRAM_BOT_POLL_TIMEOUT",
                "5s"));

        assertThat(c.mailprog().spoolDir()).isEqualTo("/srv/spool");
        assertThat(c.mailprog().throttle().maxPerUser()).isEqualTo(3);
        assertThat(c.mailprog().allowList()).containsExactly("mailto=.+@example\\.org", "telegram=[0-9]+");
        assertThat(c.mailprog().hints().cpuPercent()).isEqualTo(30);
        assertThat(c.telegramBot().pollTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRelativeSacctPathIsRefusedNamingKeyAndVariable() {
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_SACCT", "sacct")))
                .hasMessageContaining("mailprog.sacct (HERALD_MAILPROG_SACCT)")
                .hasMessageContaining("absolute path");
    }

    @Test
    void anAllowListEntryWithAnUnknownSchemeOrABadRegexIsRefused() {
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_ALLOW_LIST", "fax=123")))
                .hasMessageContaining("mailprog.allowList (HERALD_MAILPROG_ALLOW_LIST)")
                .hasMessageContaining("'fax=123'");
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_ALLOW_LIST", "mailto=(")))
                .hasMessageContaining("not a regular expression");
    }

    @Test
    void aQosEntryMustBeNameEqualsLimit() {
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_QOS", "short")))
                .hasMessageContaining("mailprog.qos (HERALD_MAILPROG_QOS)");
        assertThat(load(Map.of("HERALD_MAILPROG_QOS", "short=04:00:00,long=7-00:00:00,day=24h"))
                        .mailprog()
                        .qosLimits())
                .containsExactly(
                        Map.entry("short", Duration.ofHours(4)),
                        Map.entry("long", Duration.ofDays(7)),
                        Map.entry("day", Duration.ofHours(24)));
    }

    @Test
    void aTemplateWithAnUnknownPlaceholderIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_TEMPLATES_TITLE", "{jobid} done")))
                .hasMessageContaining("mailprog.templates.title (HERALD_MAILPROG_TEMPLATES_TITLE)")
                .hasMessageContaining("{jobid}")
                .hasMessageContaining("jobId");
    }

    @Test
    void theHintThresholdsStepWaitAndTimeZoneAreReadAndCheckedNamingTheKey() {
        HeraldConfig c = load(Map.of(
                "HERALD_MAILPROG_HINTS_MEMORY_KILL_PERCENT",
                "100",
                "HERALD_MAILPROG_HINTS_CPU_MIN_ELAPSED",
                "2m",
                "HERALD_MAILPROG_HINTS_GPU_PERCENT",
                "10",
                "HERALD_MAILPROG_SACCT_STEP_WAIT",
                "4s",
                "HERALD_MAILPROG_TIME_ZONE",
                "Europe/Berlin"));

        assertThat(c.mailprog().hints().memoryKillPercent()).isEqualTo(100);
        assertThat(c.mailprog().hints().cpuMinElapsed()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.mailprog().hints().gpuPercent()).isEqualTo(10);
        assertThat(c.mailprog().sacctStepWait()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.mailprog().timeZone()).isEqualTo("Europe/Berlin");
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_HINTS_MEMORY_KILL_PERCENT", "20")))
                .hasMessageContaining("mailprog.hints.memoryKillPercent (HERALD_MAILPROG_HINTS_MEMORY_KILL_PERCENT)")
                .hasMessageContaining("between 50 and 1000, got 20");
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_HINTS_GPU_PERCENT", "0")))
                .hasMessageContaining("mailprog.hints.gpuPercent");
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_TIME_ZONE", "Mars/Olympus")))
                .hasMessageContaining("mailprog.timeZone (HERALD_MAILPROG_TIME_ZONE)")
                .hasMessageContaining("'Mars/Olympus' is not a time zone");
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_SACCT_STEP_WAIT", "1h")))
                .hasMessageContaining("mailprog.sacctStepWait");
    }

    @Test
    void retryMinLongerThanRetryMaxIsRefused() {
        assertThatThrownBy(() -> load(Map.of("HERALD_MAILPROG_RETRY_MIN", "10m", "HERALD_MAILPROG_RETRY_MAX", "1m")))
                .hasMessageContaining("mailprog.retryMin (HERALD_MAILPROG_RETRY_MIN)");
    }

    @Test
    void theBotTokenIsNeverPrinted() {
        HeraldConfig c = load(Map.of("HERALD_TELEGRAM_BOT_BOT_TOKEN", "42:secret"));

        assertThat(c.telegramBot().botToken().reveal()).isEqualTo("42:secret");
        assertThat(c.toString()).doesNotContain("42:secret");
    }

    @Test
    void slurmTimeLimitsAreReadInEveryFormSlurmWrites() {
        assertThat(MailprogConfig.parseTimeLimit("2-00:00:00")).contains(Duration.ofDays(2));
        assertThat(MailprogConfig.parseTimeLimit("04:00:00")).contains(Duration.ofHours(4));
        assertThat(MailprogConfig.parseTimeLimit("30:00")).contains(Duration.ofMinutes(30));
        assertThat(MailprogConfig.parseTimeLimit("90")).contains(Duration.ofMinutes(90));
        assertThat(MailprogConfig.parseTimeLimit("1-12")).contains(Duration.ofHours(36));
        assertThat(MailprogConfig.parseTimeLimit("3600s")).contains(Duration.ofHours(1));
        assertThat(MailprogConfig.parseTimeLimit("soon")).isEmpty();
    }
}
