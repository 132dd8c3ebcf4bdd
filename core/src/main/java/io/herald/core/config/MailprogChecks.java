package io.herald.core.config;

import io.herald.core.receiver.EmailAddresses;
import io.herald.core.receiver.ReceiverAllowList;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Validation of the {@code mailprog} and {@code telegramBot} sections, kept apart from {@link ConfigValidator} so the
 * Slurm side touches its own lines only.
 */
final class MailprogChecks {

    private final BiConsumer<String, String> problem;

    MailprogChecks(BiConsumer<String, String> problem) {
        this.problem = problem;
    }

    void check(MailprogConfig m, TelegramBotConfig bot) {
        if (m.spoolDir() == null || m.spoolDir().isBlank()) {
            problem.accept(
                    "mailprog.spoolDir",
                    "must not be empty; use the directory herald-mailprog writes into, e.g. /var/"
                            + "spool/herald/mailprog");
        }
        if (m.sacct() != null && !m.sacct().isBlank() && !Path.of(m.sacct()).isAbsolute()) {
            // The forwarder must not depend on a PATH any more than the shim does.
            problem.accept(
                    "mailprog.sacct",
                    "'" + m.sacct()
                            + "' is not an absolute path; use e.g. /usr/bin/sacct, or empty for no job statistics");
        }
        if (m.timeZone() != null && !m.timeZone().isBlank()) {
            try {
                java.time.ZoneId.of(m.timeZone().strip());
            } catch (java.time.DateTimeException e) {
                problem.accept(
                        "mailprog.timeZone",
                        "'" + m.timeZone() + "' is not a time zone; use a name such as "
                                + "Europe/Berlin or UTC, or empty for the system's");
            }
        }
        if (m.retryMin() != null && m.retryMax() != null && m.retryMin().compareTo(m.retryMax()) > 0) {
            problem.accept(
                    "mailprog.retryMin",
                    Durations.format(m.retryMin()) + " is longer than mailprog.retryMax ("
                            + Durations.format(m.retryMax()) + ")");
        }
        if (m.metricsTextfileDir() != null
                && !m.metricsTextfileDir().isBlank()
                && !Path.of(m.metricsTextfileDir()).isAbsolute()) {
            // node_exporter reads an absolute --collector.textfile.directory; a relative one would
            // depend on where the forwarder happened to be started.
            problem.accept(
                    "mailprog.metricsTextfileDir",
                    "'" + m.metricsTextfileDir() + "' is not an absolute "
                            + "path; use node_exporter's --collector.textfile.directory, e.g. "
                            + "/var/lib/prometheus/node-exporter, or empty for no metrics file");
        }
        if (m.mailDomain() != null && !m.mailDomain().isBlank() && !EmailAddresses.isValid("user@" + m.mailDomain())) {
            problem.accept("mailprog.mailDomain", "'" + m.mailDomain() + "' is not a mail domain such as example.org");
        }
        if (m.sender() != null && !m.sender().isBlank()) {
            EmailAddresses.problem(m.sender())
                    .ifPresent(p -> problem.accept("mailprog.sender", "'" + m.sender() + "' " + p));
        }
        allowList(m.allowList());
        try {
            m.qosLimits();
        } catch (IllegalArgumentException e) {
            problem.accept("mailprog.qos", e.getMessage());
        }
        if (m.goslmailerConfig() != null
                && !m.goslmailerConfig().isBlank()
                && !Files.isReadable(Path.of(m.goslmailerConfig()))) {
            problem.accept(
                    "mailprog.goslmailerConfig",
                    "'" + m.goslmailerConfig()
                            + "' cannot be read; give the path of goslmailer.conf, or leave it empty");
        }
        if (m.throttle() == null) {
            problem.accept("mailprog.throttle", "is missing");
        }
        if (m.templates() != null) {
            template("mailprog.templates.title", m.templates().title());
            template("mailprog.templates.text", m.templates().text());
        }
        if (bot != null) {
            if (bot.baseUrl() != null && !bot.baseUrl().isBlank()) {
                url("telegramBot.baseUrl", bot.baseUrl());
            }
        }
    }

    private void allowList(List<String> entries) {
        for (String entry : entries) {
            ReceiverAllowList.problem(entry).ifPresent(p -> problem.accept("mailprog.allowList", p));
        }
    }

    private void template(String key, String template) {
        List<String> unknown = MailprogConfig.Templates.unknownPlaceholders(template);
        if (!unknown.isEmpty()) {
            problem.accept(
                    key,
                    "unknown placeholder(s) "
                            + unknown.stream().map(u -> "{" + u + "}").toList() + "; known: "
                            + MailprogConfig.Templates.PLACEHOLDERS.stream()
                                    .sorted()
                                    .toList());
        }
    }

    private void url(String key, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problem.accept(key, "'" + value + "' is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            problem.accept(key, "'" + value + "' is not a URL");
        }
    }
}
