package io.herald.mailprog;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import io.herald.core.envelope.Sender;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.preferences.RecentJobs;
import io.herald.core.preferences.UserStores;
import io.herald.core.receiver.ReceiverAllowList;
import io.herald.core.receiver.ReceiverParser;
import io.herald.mailprog.forward.EnvelopeSink;
import io.herald.mailprog.forward.Forwarder;
import io.herald.mailprog.goslmailer.GoslmailerConfig;
import io.herald.mailprog.message.Hints;
import io.herald.mailprog.message.MessageComposer;
import io.herald.mailprog.route.ChatLinking;
import io.herald.mailprog.route.ChatRegistry;
import io.herald.mailprog.route.PreferenceRouting;
import io.herald.mailprog.route.Routing;
import io.herald.mailprog.slurm.Accounting;
import io.herald.mailprog.slurm.JobEventParser;
import io.herald.mailprog.slurm.Sacct;
import io.herald.mailprog.spool.Spool;
import io.herald.mailprog.throttle.DigestComposer;
import io.herald.mailprog.throttle.Throttle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Consumer;

/** Builds the forwarder from configuration: the one place that knows how the parts fit. */
public final class Mailprog {

    private Mailprog() {}

    /**
     * The configuration with a goslmailer config (mailprog.goslmailerConfig) merged in, if one is set.
     *
     * @param notes receives one line per setting taken over or skipped
     */
    public static HeraldConfig withGoslmailer(HeraldConfig config, Consumer<String> notes) {
        String path = config.mailprog().goslmailerConfig();
        if (path == null || path.isBlank()) {
            return config;
        }
        GoslmailerConfig.Applied applied = GoslmailerConfig.read(Path.of(path)).applyTo(config);
        applied.notes().forEach(n -> notes.accept("goslmailer config " + path + ": " + n));
        return applied.config();
    }

    public static Forwarder forwarder(HeraldConfig config, EnvelopeSink sink, Clock clock) {
        return forwarder(config, sink, clock, Optional.empty());
    }

    /** As configured, reading users' preferences from {@code preferences} when mailprog.preferences.enabled. */
    public static Forwarder forwarder(
            HeraldConfig config, EnvelopeSink sink, Clock clock, Optional<PreferencesStore> preferences) {
        return forwarder(config, sink, clock, accounting(config.mailprog()), preferences);
    }

    /** As configured, with job statistics from {@code accounting} instead of mailprog.sacct. */
    public static Forwarder forwarder(HeraldConfig config, EnvelopeSink sink, Clock clock, Accounting accounting) {
        return forwarder(config, sink, clock, accounting, Optional.empty());
    }

    /**
     * As configured, with job statistics from {@code accounting}, and a bare --mail-user following the job owner's
     * preferences in {@code preferences} (used only when mailprog.preferences.enabled).
     */
    public static Forwarder forwarder(
            HeraldConfig config,
            EnvelopeSink sink,
            Clock clock,
            Accounting accounting,
            Optional<PreferencesStore> preferences) {
        return forwarder(config, sink, clock, accounting, preferences, Optional.empty(), Optional.empty());
    }

    /**
     * As configured, with users' preferences, linked chats ({@code --mail-user=link:CODE}) and the recent notifications
     * the job bot lists, all in {@code users} (used only when mailprog.preferences.enabled).
     */
    public static Forwarder forwarder(
            HeraldConfig config, EnvelopeSink sink, Clock clock, Accounting accounting, UserStores users) {
        return forwarder(
                config,
                sink,
                clock,
                accounting,
                Optional.of(users.preferences()),
                Optional.of(users.links()),
                Optional.of(users.jobs()));
    }

    /** As configured, with sacct as mailprog.sacct says, and users' stores as above. */
    public static Forwarder forwarder(HeraldConfig config, EnvelopeSink sink, Clock clock, UserStores users) {
        return forwarder(config, sink, clock, accounting(config.mailprog()), users);
    }

    private static Accounting accounting(MailprogConfig m) {
        return m.sacct().isBlank()
                ? Accounting.NONE
                : new Sacct(
                        Path.of(m.sacct()),
                        m.sacctAttempts(),
                        m.sacctDelay(),
                        m.sacctTimeout(),
                        m.sacctStepWait(),
                        ZoneId.systemDefault(),
                        d -> Thread.sleep(d.toMillis()));
    }

    private static Forwarder forwarder(
            HeraldConfig config,
            EnvelopeSink sink,
            Clock clock,
            Accounting accounting,
            Optional<PreferencesStore> preferences,
            Optional<ChatLinks> links,
            Optional<RecentJobs> recentJobs) {
        MailprogConfig m = config.mailprog();
        if (!m.preferences().enabled()) {
            preferences = Optional.empty();
            links = Optional.empty();
            recentJobs = Optional.empty();
        }
        Spool spool = new Spool(Path.of(m.spoolDir())).ensureDirectories();
        String scheme = config.receivers().defaultScheme();
        Optional<ChatRegistry> chats = config.telegramBot().registry().isBlank()
                ? Optional.empty()
                : Optional.of(new ChatRegistry(Path.of(config.telegramBot().registry())));
        Routing routing = new Routing(
                ReceiverParser.standard(scheme),
                scheme,
                m.mailDomain(),
                ReceiverAllowList.of(m.allowList()),
                chats,
                links);
        ZoneId shownIn = m.timeZone() == null || m.timeZone().isBlank()
                ? ZoneId.systemDefault()
                : ZoneId.of(m.timeZone().strip());
        MessageComposer composer = new MessageComposer(new Hints(m.hints(), m.qosLimits()), m.templates());
        Optional<Sender> sender =
                m.sender().isBlank() ? Optional.empty() : Optional.of(new Sender(m.sender(), "Slurm"));
        PreferenceRouting routed = new PreferenceRouting(
                routing, preferences, m.mailDomain(), m.preferences().cacheFor(), clock, shownIn);
        return new Forwarder(
                spool,
                new JobEventParser(),
                routed,
                accounting,
                composer,
                new Throttle(m.throttle().maxPerUser(), m.throttle().window()),
                new DigestComposer(m.throttle().maxPerUser(), m.throttle().window(), shownIn),
                sink,
                sender,
                clock,
                m.concurrency(),
                m.retryMin(),
                m.retryMax(),
                new ChatLinking(links),
                recentJobs);
    }

    /** The herald-mailprog script as shipped, with its SPOOL= line pointing at {@code spoolDir}. */
    public static String captureScript(String spoolDir) {
        if (!spoolDir.startsWith("/") || spoolDir.contains("'") || spoolDir.contains("\n")) {
            throw new IllegalArgumentException(
                    "the spool directory must be an absolute path without quotes or newlines: " + spoolDir);
        }
        try (InputStream in = Mailprog.class.getResourceAsStream("/io/herald/mailprog/spool/herald-mailprog")) {
            if (in == null) {
                throw new IllegalStateException("herald-mailprog is missing from the jar");
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return script.replaceFirst(
                    "(?m)^SPOOL=.*$", java.util.regex.Matcher.quoteReplacement("SPOOL='" + spoolDir + "'"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
