package io.herald.mailprog.goslmailer;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import io.herald.core.config.Secret;
import io.herald.core.config.TelegramBotConfig;
import io.herald.core.receiver.ReceiverParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A goslmailer JSON configuration, read so a goslmailer site can point MailProg at Herald and keep its settings:
 * {@code defaultconnector}, {@code connectors.<name>.allowList} (one regex per connector), {@code qosmap} (seconds →
 * QOS name), {@code binpaths.sacct} and the telegram connector's {@code token}. The rest (templates, spool dirs,
 * connector URLs) belongs to Herald's providers and is reported as not taken over.
 *
 * @param defaultConnector the scheme for bare receivers, if set
 * @param allowLists connector → regex
 * @param qos QOS name → limit in seconds, shortest first
 * @param sacct sacct's path, if set
 * @param telegramToken the telegram connector's token, if set
 * @param ignored settings Herald does not take from this file, for the log
 */
public record GoslmailerConfig(
        String defaultConnector,
        Map<String, String> allowLists,
        Map<String, Long> qos,
        String sacct,
        String telegramToken,
        List<String> ignored) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            // goslmailer's own examples carry '#' comments after values; its parser rejects them,
            // but people copy them, so accept YAML-style comments rather than fail on them.
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    /** @throws IllegalArgumentException saying what is wrong with the file */
    public static GoslmailerConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a goslmailer JSON config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": not a goslmailer JSON config (no top-level object)");
        }
        List<String> ignored = new ArrayList<>();
        String defaultConnector = text(root.get("defaultconnector"));
        Map<String, String> allow = new TreeMap<>();
        String token = null;
        JsonNode connectors = root.path("connectors");
        for (Iterator<Map.Entry<String, JsonNode>> it = connectors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            String list = text(c.getValue().get("allowList"));
            if (list != null) {
                try {
                    Pattern.compile(list);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            file + ": connectors." + c.getKey() + ".allowList is not a regular expression: "
                                    + e.getDescription(),
                            e);
                }
                allow.put(c.getKey(), list);
            }
            if (c.getKey().equals("telegram")) {
                token = text(c.getValue().get("token"));
                if ("PasteHereTelegramBotToken".equals(token)) {
                    token = null;
                }
            }
            c.getValue().fieldNames().forEachRemaining(name -> {
                if (!name.equals("allowList")
                        && !(c.getKey().equals("telegram") && name.equals("token"))
                        && !name.equals("name")) {
                    ignored.add("connectors." + c.getKey() + "." + name);
                }
            });
        }
        Map<String, Long> qos = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("qosmap").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> q = it.next();
            try {
                qos.put(q.getValue().asText(), Long.parseLong(q.getKey().strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        file + ": qosmap key '" + q.getKey() + "' is not a number of seconds", e);
            }
        }
        String sacct = text(root.path("binpaths").get("sacct"));
        for (String name : List.of("logfile", "binpaths.sstat")) {
            if (!root.at("/" + name.replace('.', '/')).isMissingNode()) {
                ignored.add(name);
            }
        }
        return new GoslmailerConfig(defaultConnector, allow, qos, sacct, token, ignored);
    }

    /**
     * Fills in, from this file, what the Herald configuration leaves at its default; anything set in Herald's own file
     * or variables wins.
     *
     * @return the configuration to run with, and what was taken or skipped, for the log
     */
    public Applied applyTo(HeraldConfig config) {
        List<String> notes = new ArrayList<>();
        HeraldConfig defaults = HeraldConfig.defaults();
        MailprogConfig m = config.mailprog();
        HeraldConfig out = config;
        if (defaultConnector != null) {
            if (!ReceiverParser.STANDARD_SCHEMES.containsKey(defaultConnector)) {
                notes.add("defaultconnector '" + defaultConnector
                        + "' is not a Herald scheme; kept receivers.defaultScheme");
            } else if (config.receivers().equals(defaults.receivers())) {
                out = out.withReceivers(new HeraldConfig.Receivers(defaultConnector));
                notes.add("receivers.defaultScheme = " + defaultConnector);
            }
        }
        if (m.allowList().isEmpty() && !allowLists.isEmpty()) {
            List<String> entries = new ArrayList<>();
            allowLists.forEach((connector, regex) -> {
                if (ReceiverParser.STANDARD_SCHEMES.containsKey(connector)) {
                    entries.add(connector + "=" + regex);
                } else {
                    notes.add("allowList of unknown connector '" + connector + "' skipped");
                }
            });
            m = m.withReceivers(m.mailDomain(), entries);
            notes.add("mailprog.allowList = " + entries);
        }
        if (m.qos().isEmpty() && !qos.isEmpty()) {
            List<String> entries = new ArrayList<>();
            qos.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue())
                    .forEach(q -> entries.add(q.getKey() + "=" + q.getValue() + "s"));
            m = m.withQos(entries);
            notes.add("mailprog.qos = " + entries);
        }
        if (sacct != null && m.sacct().equals(defaults.mailprog().sacct())) {
            m = m.withSacct(sacct, m.sacctAttempts(), m.sacctDelay());
            notes.add("mailprog.sacct = " + sacct);
        }
        out = out.withMailprog(m);
        TelegramBotConfig bot = out.telegramBot();
        if (telegramToken != null && !bot.botToken().isSet()) {
            out = out.withTelegramBot(
                    new TelegramBotConfig(Secret.of(telegramToken), bot.baseUrl(), bot.pollTimeout(), bot.registry()));
            notes.add("telegramBot.botToken = (from connectors.telegram.token)");
        }
        if (!ignored.isEmpty()) {
            notes.add("not taken over (configure Herald's providers instead): " + String.join(", ", ignored));
        }
        return new Applied(out, notes);
    }

    /** The merged configuration and what the merge did. */
    public record Applied(HeraldConfig config, List<String> notes) {}

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }
}
