package io.herald.core.config;

import io.herald.core.receiver.ReceiverParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules a configuration must meet before Herald starts; each problem names key, variable and fix. */
final class ConfigValidator {

    /**
     * Standard SQS queue names: 1–80 letters, digits, '-' and '_'. FIFO queues are not used: order across receivers
     * does not matter and FIFO's per-group serialisation would cap throughput.
     */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final List<String> problems = new ArrayList<>();

    private ConfigValidator() {}

    static List<String> problems(HeraldConfig c) {
        ConfigValidator v = new ConfigValidator();
        ConfigConstraints.check(c, v::problem);
        v.checkSqs(c.sqs());
        v.checkApi(c.api());
        v.checkSelfService(c.api().selfService(), c.mailprog());
        v.checkUnsubscribe(c);
        v.checkPipeline(c.pipeline(), c.sqs());
        new ProviderChecks(v::problem, c.pipeline().sendTimeout()).check(c.providers());
        new MailprogChecks(v::problem).check(c.mailprog(), c.telegramBot());
        if (!ReceiverParser.STANDARD_SCHEMES.containsKey(c.receivers().defaultScheme())) {
            v.problem(
                    "receivers.defaultScheme",
                    "'" + c.receivers().defaultScheme() + "' is not a scheme; use one of "
                            + ReceiverParser.STANDARD_SCHEMES.keySet().stream()
                                    .sorted()
                                    .toList());
        }
        v.checkStatus(c.status());
        new CallbackChecks(v::problem).check(c.callbacks(), c.api(), c.sqs());
        v.checkControl(c.control());
        v.checkLogging(c.logging());
        v.checkText("serve.dataDir", c.serve().dataDir(), "a directory path such as /var/lib/herald");
        return v.problems;
    }

    private void checkLogging(HeraldConfig.Logging logging) {
        if (!"text".equals(logging.format()) && !"json".equals(logging.format())) {
            problem("logging.format", "'" + logging.format() + "' is not a log format; use text or json");
        }
        for (String entry : logging.level()) {
            int eq = entry == null ? -1 : entry.indexOf('=');
            String level = eq < 0 ? "" : entry.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
            if (eq <= 0 || !HeraldConfig.Logging.LEVELS.contains(level)) {
                problem(
                        "logging.level",
                        "'" + entry + "' is not logger=LEVEL with LEVEL one of " + HeraldConfig.Logging.LEVELS
                                + ", e.g. io.herald.pipeline=DEBUG or root=WARN");
            }
        }
    }

    private void checkSqs(HeraldConfig.Sqs sqs) {
        checkEndpoint("sqs.endpoint", sqs.endpoint(), "http://127.0.0.1:9324");
        checkRegion("sqs.region", sqs.region());
        if (sqs.queues() == null || sqs.queues().isEmpty()) {
            problem("sqs.queues", "no queue configured; name at least one, e.g. [herald-1]");
        } else {
            Set<String> seen = new HashSet<>();
            for (String queue : sqs.queues()) {
                if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
                    problem(
                            "sqs.queues",
                            "'" + queue + "' is not a valid SQS queue name (1–80 letters, digits, '-' or '_')");
                } else if (!seen.add(queue)) {
                    problem("sqs.queues", "'" + queue + "' is listed twice");
                } else if (!QUEUE_NAME
                        .matcher(queue + nullToEmpty(sqs.deadLetterSuffix()))
                        .matches()) {
                    problem(
                            "sqs.deadLetterSuffix",
                            "'" + queue + sqs.deadLetterSuffix()
                                    + "' (queue + suffix) is not a valid SQS queue name; use a short "
                                    + "suffix such as -dlq");
                }
            }
        }
        if (sqs.deadLetterSuffix() == null || sqs.deadLetterSuffix().isEmpty()) {
            problem(
                    "sqs.deadLetterSuffix",
                    "must not be empty: a dead-letter queue needs a name of its own, e.g. -dlq");
        }
    }

    private void checkApi(HeraldConfig.Api api) {
        checkText("api.host", api.host(), "an interface address such as 127.0.0.1 or 0.0.0.0");
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < api.keys().size(); i++) {
            String where = "entry " + (i + 1) + ": ";
            switch (ApiKeyEntry.parse(api.keys().get(i))) {
                case ApiKeyEntry.Parsed.Invalid invalid -> problem("api.keys", where + invalid.problem());
                case ApiKeyEntry.Parsed.Valid valid -> {
                    if (!names.add(valid.entry().name())) {
                        problem(
                                "api.keys",
                                where + "the name '" + valid.entry().name() + "' is used twice; "
                                        + "names tell keys apart in logs and metrics");
                    }
                    boolean sameToken = !hashes.add(valid.entry().sha256());
                    if (sameToken) {
                        problem(
                                "api.keys",
                                where + "key '" + valid.entry().name()
                                        + "' has the same token hash as an earlier entry; one token, one key");
                    }
                    if (valid.entry().maxReceivers() > api.maxReceiversPerRequest()) {
                        problem(
                                "api.keys",
                                where + "key '" + valid.entry().name() + "': maxReceivers="
                                        + valid.entry().maxReceivers() + " is more than api.maxReceiversPerRequest ("
                                        + api.maxReceiversPerRequest() + "), which bounds every request");
                    }
                    if (!ids.add(valid.entry().id()) && !sameToken) {
                        problem(
                                "api.keys",
                                where + "key '" + valid.entry().name() + "': metrics id '"
                                        + valid.entry().id()
                                        + "' is used by an earlier key; ids tell keys apart in metrics");
                    }
                }
            }
        }
    }

    private void checkStatus(HeraldConfig.Status status) {
        checkEndpoint("status.endpoint", status.endpoint(), "http://127.0.0.1:8000");
        checkRegion("status.region", status.region());
        if (status.table() == null || !TABLE_NAME.matcher(status.table()).matches()) {
            problem(
                    "status.table",
                    "'" + status.table() + "' is not a DynamoDB table name (3–255 letters, digits, '_', '-' or '.')");
        }
    }

    private void checkControl(HeraldConfig.Control control) {
        if (control.heartbeatInterval() != null
                && control.staleAfter() != null
                && control.staleAfter().compareTo(control.heartbeatInterval().multipliedBy(2)) < 0) {
            // One late or lost heartbeat must not make a live instance's reports vanish.
            problem(
                    "control.staleAfter",
                    Durations.format(control.staleAfter())
                            + " must be at least twice control.heartbeatInterval ("
                            + Durations.format(control.heartbeatInterval())
                            + "), or one late heartbeat makes a live instance's health reports vanish");
        }
    }

    private void checkEndpoint(String key, String value, String example) {
        String endpoint = value == null ? "" : value.strip();
        if (endpoint.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(endpoint);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problem(
                        key,
                        "'" + endpoint + "' is not an http(s) URL; use e.g. " + example
                                + ", or leave it empty for AWS");
            }
        } catch (URISyntaxException e) {
            problem(key, "'" + endpoint + "' is not a URL; use e.g. " + example + ", or leave it empty for AWS");
        }
    }

    private void checkRegion(String key, String region) {
        if (region == null || !REGION.matcher(region).matches()) {
            problem(key, "'" + region + "' is not an AWS region name such as us-east-1");
        }
    }

    private void checkPipeline(HeraldConfig.PipelineSettings pipeline, HeraldConfig.Sqs sqs) {
        if (pipeline.retryBaseDelay() != null
                && pipeline.retryMaxDelay() != null
                && pipeline.retryBaseDelay().compareTo(pipeline.retryMaxDelay()) > 0) {
            problem(
                    "pipeline.retryBaseDelay",
                    Durations.format(pipeline.retryBaseDelay()) + " is longer than pipeline.retryMaxDelay ("
                            + Durations.format(pipeline.retryMaxDelay()) + ")");
        }
        checkText("pipeline.adminHost", pipeline.adminHost(), "an interface address such as 127.0.0.1");
        if (pipeline.adminPort() != -1) {
            checkPort("pipeline.adminPort", pipeline.adminPort());
        }
        if (pipeline.sendTimeout() != null
                && sqs.visibilityTimeout() != null
                && pipeline.sendTimeout().compareTo(sqs.visibilityTimeout()) >= 0) {
            // A send still running when the message becomes visible again is how duplicates happen.
            problem(
                    "pipeline.sendTimeout",
                    Durations.format(pipeline.sendTimeout())
                            + " must be shorter than sqs.visibilityTimeout ("
                            + ConfigLoader.environmentVariable("sqs.visibilityTimeout")
                            + ", " + Durations.format(sqs.visibilityTimeout())
                            + "), or a message still being sent reappears and is sent twice; lower the "
                            + "first or raise the second");
        }
    }

    /** Magic links: off without a public URL; on, they need a strong key and somewhere to send the link. */
    private void checkSelfService(HeraldConfig.Api.SelfService self, MailprogConfig mailprog) {
        if (!self.enabled()) {
            return;
        }
        String url = self.publicUrl();
        URI uri = null;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (uri == null
                || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            problem(
                    "api.selfService.publicUrl",
                    "'" + url + "' is not the page's address such as "
                            + "https://herald.example.org (http or https, no query or #fragment)");
        }
        if (self.linkSecret().reveal().length() < SELF_SERVICE_SECRET_CHARS) {
            problem(
                    "api.selfService.linkSecret",
                    (self.linkSecret().isSet() ? "is too short" : "is not set")
                            + ": links and sessions are signed with it, so it needs at least "
                            + SELF_SERVICE_SECRET_CHARS
                            + " characters (e.g. openssl rand -base64 48)");
        }
        // Without a mail domain only chats linked with /link can get links, and only preferences enable linking.
        if ((mailprog.mailDomain() == null || mailprog.mailDomain().isBlank())
                && !mailprog.preferences().enabled()) {
            problem(
                    "api.selfService.publicUrl",
                    "links go to a user's default receiver, user@mailprog.mailDomain "
                            + "or a chat linked to the user, and mailprog.mailDomain ("
                            + ConfigLoader.environmentVariable("mailprog.mailDomain") + ") is empty while "
                            + "mailprog.preferences.enabled is false (no chats can be linked); set either, "
                            + "or leave api.selfService.publicUrl empty to turn links off");
        }
    }

    /** Unsubscribe links: off without an address to point at; on, they need a strong key. */
    private void checkUnsubscribe(HeraldConfig c) {
        HeraldConfig.Unsubscribe unsubscribe = c.unsubscribe();
        if (unsubscribe == null) {
            problem("unsubscribe", "must not be empty; leave the section out for no unsubscribe links");
            return;
        }
        if (!unsubscribe.publicUrl().isEmpty() && !isPageUrl(unsubscribe.publicUrl())) {
            problem(
                    "unsubscribe.publicUrl",
                    "'" + unsubscribe.publicUrl() + "' is not the API's public address such as "
                            + "https://herald.example.org (http or https, no query or #fragment)");
        }
        if (!c.unsubscribeBaseUrl().isEmpty() && unsubscribe.secret().reveal().length() < SELF_SERVICE_SECRET_CHARS) {
            problem(
                    "unsubscribe.secret",
                    (unsubscribe.secret().isSet() ? "is too short" : "is not set")
                            + ": every email that is not transactional gets an unsubscribe link to "
                            + c.unsubscribeBaseUrl() + "/u/..., signed with it, so it needs at least "
                            + SELF_SERVICE_SECRET_CHARS
                            + " characters (e.g. openssl rand -base64 48) and the same value for the API and the "
                            + "pipeline");
        }
    }

    private static boolean isPageUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** 32 characters of base64 are 192 bits: beyond guessing, for an HMAC-SHA256 key. */
    static final int SELF_SERVICE_SECRET_CHARS = 32;

    private void checkPort(String key, int port) {
        if (port < 0 || port > 65_535) {
            problem(key, "must be a TCP port between 0 and 65535 (0 picks a free one), got " + port);
        }
    }

    private void checkText(String key, String value, String example) {
        if (value == null || value.isBlank()) {
            problem(key, "must not be empty; use " + example);
        }
    }

    private void problem(String key, String message) {
        problems.add(key + " (" + ConfigLoader.environmentVariable(key) + "): " + message);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
