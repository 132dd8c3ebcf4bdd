package io.herald.core.config;

import jakarta.validation.Valid;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.validator.constraints.Range;

/**
 * The Slurm side: where {@code herald-mailprog} spools job events and how the forwarder turns them into notifications
 * ({@code herald mailprog forward|flush}).
 *
 * @param spoolDir the directory herald-mailprog writes into (its tmp/ and new/) and the forwarder reads from; failed/
 *     holds what cannot be sent, with the reason
 * @param sacct absolute path of sacct (slurmctld gives MailProg no PATH, and the forwarder does not trust one either);
 *     empty: notifications carry no job statistics
 * @param sacctAttempts sacct calls per event at most while accounting still lags behind the mail
 * @param sacctDelay wait between two of those calls
 * @param sacctTimeout longest one sacct call may take
 * @param sacctStepWait for the END/FAIL of a job that ran: how much longer to ask sacct again when the job row is final
 *     but its steps (peak memory) have not arrived yet
 * @param timeZone zone for times shown in messages (e.g. Europe/Berlin); empty: the system's
 * @param scanInterval how often the spool is rescanned besides watching it (missed events, retries)
 * @param retryMin first wait before sending again after SQS failed; doubles up to retryMax
 * @param retryMax longest wait between two attempts while SQS is unreachable
 * @param concurrency spool records prepared at once (their sacct waits overlap)
 * @param mailDomain domain appended to a bare user name when the default scheme is mailto; empty: bare names must
 *     already be addresses
 * @param sender From address of email notifications; empty: the provider's own
 * @param allowList anchored patterns as {@code scheme=regex}; a scheme with patterns only accepts targets matching one
 *     of them whole; a scheme without any accepts all
 * @param qos QOS names with their wall-time limits as {@code name=limit} (Slurm time such as 2-00:00:00, or 48h), used
 *     to suggest a shorter QOS
 * @param goslmailerConfig path of a goslmailer JSON config to take defaultconnector, allowList, qosmap and
 *     binpaths.sacct from; empty: none
 * @param throttle how many notifications one user gets per window before the rest fold into a digest
 * @param hints when a notification suggests changes to the job script
 * @param templates admins' own title and text for job notifications
 * @param metricsTextfileDir directory of node_exporter's textfile collector; the forwarder daemon writes
 *     herald_mailprog.prom there after every pass; empty: no metrics file
 * @param preferences whether a bare --mail-user follows the user's preferences in the status table
 */
public record MailprogConfig(
        String spoolDir,
        String sacct,
        @Range(min = 1, max = 100) int sacctAttempts,
        @DurationRange(min = "0s", max = "1m") Duration sacctDelay,
        @DurationRange(min = "100ms", max = "10m") Duration sacctTimeout,
        @DurationRange(min = "0s", max = "5m") Duration sacctStepWait,
        String timeZone,
        @DurationRange(min = "10ms", max = "1h") Duration scanInterval,
        @DurationRange(min = "1ms", max = "1h") Duration retryMin,
        @DurationRange(min = "1ms", max = "24h") Duration retryMax,
        @Range(min = 1, max = 256) int concurrency,
        String mailDomain,
        String sender,
        List<String> allowList,
        List<String> qos,
        String goslmailerConfig,
        @Valid Throttle throttle,
        @Valid Hints hints,
        Templates templates,
        String metricsTextfileDir,
        @Valid Preferences preferences) {

    public MailprogConfig {
        allowList = allowList == null ? List.of() : List.copyOf(allowList);
        qos = qos == null ? List.of() : List.copyOf(qos);
        preferences = preferences == null ? Preferences.defaults() : preferences;
    }

    /**
     * Users' own choices ({@code herald prefs}, {@code /v1/users/{user}/preferences}), read from the status table
     * ({@code status.*}).
     *
     * @param enabled a bare --mail-user (Slurm's default) follows the job owner's preferences when they have some; off:
     *     the forwarder never reads the status table
     * @param cacheFor how long the forwarder keeps a user's preferences before reading them again (an array of 5,000
     *     tasks must not cost 5,000 reads); a change reaches jobs within this
     */
    public record Preferences(
            boolean enabled,
            @DurationRange(min = "0s", max = "1h") Duration cacheFor) {
        public static Preferences defaults() {
            return new Preferences(false, Duration.ofSeconds(30));
        }
    }

    /**
     * gobler's maxMsgPU, without its losses: what goes over the cap is folded, never dropped.
     *
     * @param maxPerUser notifications (digests included) one Slurm user gets per window; 0: no limit
     * @param window the sliding window the cap applies to
     */
    public record Throttle(
            @Range(min = 0, max = 100_000) int maxPerUser,
            @DurationRange(min = "1s", max = "168h") Duration window) {}

    /**
     * goslmailer's tips, with its thresholds as defaults (each a percentage).
     *
     * @param enabled whether notifications carry hints at all
     * @param memoryPercent suggest less memory when MaxRSS is under this share of ReqMem
     * @param cpuPercent point at low CPU efficiency when TotalCPU is under this share of Elapsed × CPUs
     * @param walltimePercent suggest a shorter time limit (and QOS) when Elapsed is under this share of it
     * @param memoryKillPercent a job that failed or was killed with its peak memory at or above this share of its
     *     request is treated as killed for memory (Slurm without cgroups reports such a job as FAILED with signal 9,
     *     not OUT_OF_MEMORY)
     * @param cpuMinElapsed no CPU-efficiency hint for jobs that ran shorter than this (start-up dominates)
     * @param gpuPercent point at GPUs held but barely used when their peak utilisation stayed under this
     */
    public record Hints(
            boolean enabled,
            @Range(min = 1, max = 100) int memoryPercent,
            @Range(min = 1, max = 100) int cpuPercent,
            @Range(min = 1, max = 100) int walltimePercent,
            // Above 100: a peak over the request is how a memory kill shows when Slurm reports no
            // OUT_OF_MEMORY.
            @Range(min = 50, max = 1000) int memoryKillPercent,
            @DurationRange(min = "0s", max = "24h") Duration cpuMinElapsed,
            @Range(min = 1, max = 100) int gpuPercent) {}

    /**
     * Placeholders such as {@code {jobId}}, {@code {name}}, {@code {state}} are replaced with the job's values;
     * {@code herald mailprog --help} lists them. Empty: Herald's own wording.
     *
     * @param title the title (email subject)
     * @param text the plain-text body
     */
    public record Templates(String title, String text) {

        /** What a template may use; anything else in braces is a configuration error. */
        public static final Set<String> PLACEHOLDERS = Set.of(
                "jobId",
                "arrayJobId",
                "arrayTaskId",
                "name",
                "user",
                "cluster",
                "partition",
                "account",
                "mailType",
                "state",
                "exitCode",
                "runTime",
                "queuedTime",
                "nodes",
                "workDir",
                "stdout",
                "stderr",
                "facts",
                "hints");

        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

        /** @return the placeholders in {@code template} that are not in {@link #PLACEHOLDERS} */
        public static List<String> unknownPlaceholders(String template) {
            List<String> unknown = new java.util.ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    unknown.add(m.group(1));
                }
            }
            return unknown;
        }
    }

    private static final Pattern SLURM_TIME = Pattern.compile("(?:(\\d+)-)?(\\d+)(?::(\\d+))?(?::(\\d+))?");

    /**
     * A wall-time limit as Slurm writes it ({@code 2-00:00:00}, {@code 04:00:00}, {@code 30:00}, {@code 1-12}) or as
     * Herald writes durations ({@code 48h}).
     */
    public static Optional<Duration> parseTimeLimit(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        Optional<Duration> herald = Durations.parse(t);
        if (herald.isPresent()) {
            return herald;
        }
        Matcher m = SLURM_TIME.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long a = Long.parseLong(m.group(2));
        Long b = m.group(3) == null ? null : Long.parseLong(m.group(3));
        Long c = m.group(4) == null ? null : Long.parseLong(m.group(4));
        long seconds;
        if (m.group(1) != null) {
            // days-hours[:minutes[:seconds]]
            seconds = days * 86_400 + a * 3600 + (b == null ? 0 : b * 60) + (c == null ? 0 : c);
        } else if (c != null) {
            seconds = a * 3600 + b * 60 + c;
        } else if (b != null) {
            seconds = a * 60 + b;
        } else {
            // Slurm reads a bare number as minutes.
            seconds = a * 60;
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /**
     * @return the QOS map in configured order, name → wall-time limit
     * @throws IllegalArgumentException naming the first entry that is not {@code name=limit}
     */
    public Map<String, Duration> qosLimits() {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (String entry : qos) {
            int eq = entry.indexOf('=');
            Optional<Duration> limit = eq <= 0 ? Optional.empty() : parseTimeLimit(entry.substring(eq + 1));
            if (limit.isEmpty()) {
                throw new IllegalArgumentException("'" + entry + "' is not name=limit (e.g. short=04:00:00)");
            }
            out.put(entry.substring(0, eq).strip(), limit.get());
        }
        return out;
    }

    public static MailprogConfig defaults() {
        return new MailprogConfig(
                "/var/spool/herald/mailprog",
                "/usr/bin/sacct",
                5,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                "",
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                8,
                "",
                "",
                List.of(),
                List.of(),
                "",
                new Throttle(10, Duration.ofMinutes(10)),
                new Hints(true, 50, 50, 50, 95, Duration.ofSeconds(60), 25),
                new Templates("", ""),
                "",
                Preferences.defaults());
    }

    /** A builder starting from this configuration, for changing a few keys without naming all 21. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public MailprogConfig withSpoolDir(String dir) {
        return toBuilder().spoolDir(dir).build();
    }

    public MailprogConfig withHints(Hints newHints) {
        return toBuilder().hints(newHints).build();
    }

    public MailprogConfig withSacct(String path, int attempts, Duration delay) {
        return toBuilder().sacct(path).sacctAttempts(attempts).sacctDelay(delay).build();
    }

    public MailprogConfig withReceivers(String domain, List<String> allow) {
        return toBuilder().mailDomain(domain).allowList(allow).build();
    }

    public MailprogConfig withQos(List<String> newQos) {
        return toBuilder().qos(newQos).build();
    }

    public MailprogConfig withThrottle(Throttle newThrottle) {
        return toBuilder().throttle(newThrottle).build();
    }

    public MailprogConfig withPreferences(Preferences newPreferences) {
        return toBuilder().preferences(newPreferences).build();
    }

    /** Every key of the section by name; unset ones keep the value of the configuration it started from. */
    public static final class Builder {
        private String spoolDir;
        private String sacct;
        private int sacctAttempts;
        private Duration sacctDelay;
        private Duration sacctTimeout;
        private Duration sacctStepWait;
        private String timeZone;
        private Duration scanInterval;
        private Duration retryMin;
        private Duration retryMax;
        private int concurrency;
        private String mailDomain;
        private String sender;
        private List<String> allowList;
        private List<String> qos;
        private String goslmailerConfig;
        private Throttle throttle;
        private Hints hints;
        private Templates templates;
        private String metricsTextfileDir;
        private Preferences preferences;

        private Builder(MailprogConfig from) {
            spoolDir = from.spoolDir;
            sacct = from.sacct;
            sacctAttempts = from.sacctAttempts;
            sacctDelay = from.sacctDelay;
            sacctTimeout = from.sacctTimeout;
            sacctStepWait = from.sacctStepWait;
            timeZone = from.timeZone;
            scanInterval = from.scanInterval;
            retryMin = from.retryMin;
            retryMax = from.retryMax;
            concurrency = from.concurrency;
            mailDomain = from.mailDomain;
            sender = from.sender;
            allowList = from.allowList;
            qos = from.qos;
            goslmailerConfig = from.goslmailerConfig;
            throttle = from.throttle;
            hints = from.hints;
            templates = from.templates;
            metricsTextfileDir = from.metricsTextfileDir;
            preferences = from.preferences;
        }

        public Builder spoolDir(String value) {
            spoolDir = value;
            return this;
        }

        public Builder sacct(String value) {
            sacct = value;
            return this;
        }

        public Builder sacctAttempts(int value) {
            sacctAttempts = value;
            return this;
        }

        public Builder sacctDelay(Duration value) {
            sacctDelay = value;
            return this;
        }

        public Builder sacctTimeout(Duration value) {
            sacctTimeout = value;
            return this;
        }

        public Builder sacctStepWait(Duration value) {
            sacctStepWait = value;
            return this;
        }

        public Builder timeZone(String value) {
            timeZone = value;
            return this;
        }

        public Builder scanInterval(Duration value) {
            scanInterval = value;
            return this;
        }

        public Builder retryMin(Duration value) {
            retryMin = value;
            return this;
        }

        public Builder retryMax(Duration value) {
            retryMax = value;
            return this;
        }

        public Builder concurrency(int value) {
            concurrency = value;
            return this;
        }

        public Builder mailDomain(String value) {
            mailDomain = value;
            return this;
        }

        public Builder sender(String value) {
            sender = value;
            return this;
        }

        public Builder allowList(List<String> value) {
            allowList = value;
            return this;
        }

        public Builder qos(List<String> value) {
            qos = value;
            return this;
        }

        public Builder goslmailerConfig(String value) {
            goslmailerConfig = value;
            return this;
        }

        public Builder throttle(Throttle value) {
            throttle = value;
            return this;
        }

        public Builder hints(Hints value) {
            hints = value;
            return this;
        }

        public Builder templates(Templates value) {
            templates = value;
            return this;
        }

        public Builder metricsTextfileDir(String value) {
            metricsTextfileDir = value;
            return this;
        }

        public Builder preferences(Preferences value) {
            preferences = value;
            return this;
        }

        public MailprogConfig build() {
            return new MailprogConfig(
                    spoolDir,
                    sacct,
                    sacctAttempts,
                    sacctDelay,
                    sacctTimeout,
                    sacctStepWait,
                    timeZone,
                    scanInterval,
                    retryMin,
                    retryMax,
                    concurrency,
                    mailDomain,
                    sender,
                    allowList,
                    qos,
                    goslmailerConfig,
                    throttle,
                    hints,
                    templates,
                    metricsTextfileDir,
                    preferences);
        }
    }
}
