package io.herald.mailprog.message;

import io.herald.core.config.MailprogConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.SlurmJob;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.JobStats;
import io.herald.mailprog.slurm.MailType;
import io.herald.mailprog.slurm.SlurmValues;
import io.herald.mailprog.slurm.StatsLookup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words for a job event: a title that says what happened ("Job 4242001 (train_model) ended: COMPLETED, exit 0"), facts
 * in a fixed order (where, how long, used against requested, where the output is), hints, and a plain-text body built
 * from the same parts. Providers render the structured parts natively; admins may replace title and text with
 * templates.
 */
public final class MessageComposer {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    /** States whose exit status is not the job's own doing: showing "signal 1" for NODE_FAIL would mislead. */
    private static final Set<String> SIGNAL_MEANINGFUL = Set.of("FAILED", "CANCELLED", "COMPLETED");

    private final Hints hints;
    private final MailprogConfig.Templates templates;

    public MessageComposer(Hints hints, MailprogConfig.Templates templates) {
        this.hints = hints;
        this.templates = templates;
    }

    /**
     * @param problems receivers that were not used, said to those that are: the user typed them and would otherwise
     *     never learn why nothing arrived there
     */
    public JobMessage compose(JobEvent e, Optional<JobStats> stats, List<String> problems) {
        return compose(e, StatsLookup.of(stats), problems, List.of());
    }

    /**
     * @param lookup what accounting said, or why it said nothing
     * @param problems receivers that were not used, said to those that are
     * @param folded earlier time-limit warnings of the same job captured together with this one, folded into this
     *     message (empty for any other)
     */
    public JobMessage compose(JobEvent e, StatsLookup lookup, List<String> problems, List<MailType> folded) {
        Optional<JobStats> stats = lookup.stats();
        String title = title(e, stats);
        List<Fact> facts = facts(e, stats);
        if (lookup instanceof StatsLookup.Unavailable(String reason)) {
            facts.add(new Fact("Job statistics", "unavailable: " + reason));
        }
        if (!folded.isEmpty()) {
            facts.add(new Fact("Warnings", warnings(folded, e.mailType())));
        }
        List<String> advice = hints.hintsFor(e, stats);
        List<String> notes = new ArrayList<>();
        if (!folded.isEmpty()) {
            notes.add("Slurm checks time limits every 30 seconds, so for this job it sent these warnings at the "
                    + "same moment; they are folded into this one message.");
        }
        if (!problems.isEmpty()) {
            notes.add("Not sent to: " + String.join("; ", problems));
        }
        // Channels show the facts and hints themselves; the text carries what they do not.
        String text = text(title, notes);
        if (templates != null && !templates.title().isBlank()) {
            title = render(templates.title(), e, stats, facts, advice);
        }
        if (templates != null && !templates.text().isBlank()) {
            text = render(templates.text(), e, stats, facts, advice);
            if (!notes.isEmpty()) {
                text = text + "\n\n" + String.join("\n", notes);
            }
            // A template that places facts or hints in the text has them there; shown once only.
            if (templates.text().contains("{facts}")) {
                facts = List.of();
            }
            if (templates.text().contains("{hints}")) {
                advice = List.of();
            }
        }
        Content content = new Content(title, text, null, facts, advice, List.of());
        return new JobMessage(content, slurmJob(e, stats));
    }

    private static String warnings(List<MailType> folded, MailType latest) {
        List<String> parts = new ArrayList<>();
        for (MailType t : folded) {
            parts.add(percent(t));
        }
        parts.add(percent(latest));
        return String.join(", ", parts) + " of the time limit";
    }

    private static String percent(MailType t) {
        return switch (t) {
            case TIME_LIMIT_50 -> "50%";
            case TIME_LIMIT_80 -> "80%";
            case TIME_LIMIT_90 -> "90%";
            case TIME_LIMIT -> "100%";
            default -> t.subjectWord();
        };
    }

    String title(JobEvent e, Optional<JobStats> stats) {
        String who;
        if (e.arraySummary()) {
            String tasks = e.arrayTaskCount() != null ? e.arrayTaskCount() + " tasks" : null;
            String detail = join(", ", e.name(), tasks);
            who = "Array job " + (e.arrayJobId() != null ? e.arrayJobId() : e.jobId())
                    + (detail.isEmpty() ? "" : " (" + detail + ")");
        } else {
            who = "Job " + e.displayId() + (e.name() == null ? "" : " (" + e.name() + ")");
        }
        return switch (e.mailType()) {
            case BEGIN -> who + " began" + (e.queuedTime() != null ? " after " + e.queuedTime() + " in the queue" : "");
            case END -> who + " ended" + outcome(e, stats);
            case FAIL -> who + " failed" + outcome(e, stats);
            case REQUEUE -> who + " was requeued" + (e.state() != null ? " (" + e.state() + ")" : "");
            case TIME_LIMIT_50 -> who + " reached 50% of its time limit";
            case TIME_LIMIT_80 -> who + " reached 80% of its time limit";
            case TIME_LIMIT_90 -> who + " reached 90% of its time limit";
            case TIME_LIMIT -> who + " reached its time limit";
            case STAGE_OUT -> who + " finished staging out";
            case INVALID_DEPEND -> who + " cannot start: a dependency can never be satisfied";
        };
    }

    private static String outcome(JobEvent e, Optional<JobStats> stats) {
        String state =
                e.state() != null ? e.state() : stats.map(JobStats::baseState).orElse(null);
        if (state == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(": ").append(state);
        if (e.arraySummary()) {
            if (e.exitCodeRange() != null) {
                String[] r = e.exitCodeRange().split("-", 2);
                out.append(r.length == 2 && r[0].equals(r[1]) ? ", exit " + r[0] : ", exit codes " + e.exitCodeRange());
            } else if (e.signal() != null) {
                out.append(", signals up to ").append(e.signal());
            }
            if (e.requeuedTasks()) {
                out.append(", some tasks requeued");
            }
        } else if (e.exitCode() != null) {
            out.append(", exit ").append(e.exitCode());
        } else if (e.signal() != null && SIGNAL_MEANINGFUL.contains(state)) {
            out.append(", killed by signal ").append(e.signal()).append(signalName(e.signal()));
        }
        return out.toString();
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> " (SIGABRT)";
            case 7 -> " (SIGBUS)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    List<Fact> facts(JobEvent e, Optional<JobStats> stats) {
        List<Fact> facts = new ArrayList<>();
        JobStats s = stats.orElse(null);
        add(facts, "Cluster", e.cluster());
        add(facts, "User", e.user());
        add(
                facts,
                "Job",
                e.displayId() + (e.arraySummary() || e.arrayJobId() == null ? "" : " (job id " + e.jobId() + ")"));
        add(facts, "Name", e.name());
        add(facts, "State", e.state() != null ? e.state() : s != null ? s.state() : null);
        if (!e.arraySummary() && (e.mailType() == MailType.END || e.mailType() == MailType.FAIL)) {
            add(
                    facts,
                    "Exit code",
                    e.exitCode() != null
                            ? e.exitCode().toString()
                            : e.signal() != null ? "signal " + e.signal() : s != null ? s.exitCode() : null);
        } else if (e.arraySummary()) {
            add(facts, "Exit codes", e.exitCodeRange());
        }
        if (e.arraySummary() && s != null && !s.tasks().isEmpty()) {
            add(facts, "Tasks", ArrayTally.describe(s.tasks()));
        } else if (e.arraySummary() && s != null && !s.taskStates().isEmpty()) {
            add(facts, "Tasks", tally(s.taskStates()));
        } else if (e.arrayTaskCount() != null && e.arrayTaskId() != null) {
            add(facts, "Array", "task " + e.arrayTaskId() + " of " + e.arrayTaskCount());
        }
        if (e.hetJobId() != null) {
            add(
                    facts,
                    "Heterogeneous job",
                    e.hetJobId() + (e.hetJobOffset() != null ? " (component " + e.hetJobOffset() + ")" : ""));
        }
        add(facts, "Partition", e.partition() != null ? e.partition() : s != null ? s.partition() : null);
        add(facts, "Account", e.account() != null ? e.account() : s != null ? s.account() : null);
        add(facts, "QOS", e.qos());
        String nodes = e.nodeList() != null ? e.nodeList() : s != null ? s.nodeList() : null;
        Integer nodeCount = e.numNodes() != null ? e.numNodes() : s != null ? s.nodes() : null;
        add(
                facts,
                "Nodes",
                nodes == null
                        ? null
                        : nodeCount != null && nodeCount > 1 ? nodes + " (" + nodeCount + " nodes)" : nodes);
        add(facts, "CPUs", cpus(e, s));
        add(facts, "GPUs", gpus(s));
        add(facts, "Other TRES", otherTres(s));
        add(
                facts,
                "Queued",
                e.queuedTime() != null
                        ? e.queuedTime()
                        : s != null && s.submit() != null && s.start() != null && e.mailType() == MailType.BEGIN
                                ? SlurmValues.format(Duration.between(s.submit(), s.start()))
                                : null);
        String run = e.runTime() != null
                ? e.runTime()
                : s != null && s.elapsed() != null ? SlurmValues.format(s.elapsed()) : null;
        Duration limit = s != null ? s.timeLimit() : null;
        add(
                facts,
                "Run time",
                run == null ? null : limit == null ? run : run + " of " + SlurmValues.format(limit) + " limit");
        if (s != null && s.cpuEfficiency() != null && e.mailType().carriesUsage()) {
            add(
                    facts,
                    "CPU efficiency",
                    String.format(
                            Locale.ROOT,
                            "%d%% (%s CPU time over %s × %d CPUs)",
                            Math.round(s.cpuEfficiency() * 100),
                            SlurmValues.format(s.totalCpu()),
                            SlurmValues.format(s.elapsed()),
                            s.cpus()));
        }
        if (s != null && s.maxRss() != null && e.mailType().carriesUsage()) {
            add(
                    facts,
                    "Memory",
                    SlurmValues.formatBytes(s.maxRss()) + " peak"
                            + (s.reqMem() != null && s.reqMem() > 0
                                    ? String.format(
                                            Locale.ROOT,
                                            " of %s requested (%d%%)",
                                            SlurmValues.formatBytes(s.reqMem()),
                                            Math.round(100.0 * s.maxRss() / s.reqMem()))
                                    : ""));
        } else if (s != null && s.reqMem() != null) {
            add(facts, "Memory requested", SlurmValues.formatBytes(s.reqMem()));
        }
        if (s != null && e.mailType().carriesUsage()) {
            add(facts, "GPU use", gpuUse(s));
        }
        add(facts, "Work dir", e.workDir());
        String out = OutputPaths.stdout(e);
        String err = OutputPaths.stderr(e);
        add(facts, "Stdout", out);
        if (err != null && !err.equals(out)) {
            add(facts, "Stderr", err);
        }
        add(facts, "Comment", e.comment());
        return facts;
    }

    /**
     * sacct's NCPUS while the job row is final; before that (a BEGIN mail, where sacct may still show PENDING with 0
     * CPUs) Slurm's own SLURM_JOB_CPUS_PER_NODE, which is right from the start.
     */
    private static String cpus(JobEvent e, JobStats s) {
        Integer fromSacct = s != null && s.cpus() != null && s.cpus() > 0 ? s.cpus() : null;
        Integer fromSlurm = SlurmValues.totalCpus(e.cpusPerNode()).orElse(null);
        Integer cpus = fromSacct != null && s.finalState() ? fromSacct : fromSlurm != null ? fromSlurm : fromSacct;
        return cpus == null ? null : cpus.toString();
    }

    private static String gpus(JobStats s) {
        if (s == null) {
            return null;
        }
        int n = Hints.gpus(s.allocTres());
        if (n == 0) {
            return null;
        }
        List<String> typed = s.allocTres().entrySet().stream()
                .filter(t -> t.getKey().startsWith("gres/gpu:"))
                .map(t -> t.getValue() + " × " + t.getKey().substring("gres/gpu:".length()))
                .toList();
        return n + (typed.isEmpty() ? "" : " (" + String.join(", ", typed) + ")");
    }

    /** Allocated TRES besides CPUs, memory, nodes, billing and GPUs (shown above): licences, other GRES. */
    private static String otherTres(JobStats s) {
        if (s == null) {
            return null;
        }
        List<String> other = s.allocTres().entrySet().stream()
                .filter(t -> !Set.of("cpu", "mem", "node", "billing", "energy").contains(t.getKey()))
                .filter(t -> !t.getKey().equals("gres/gpu") && !t.getKey().startsWith("gres/gpu:"))
                .map(t -> t.getKey() + "=" + t.getValue())
                .toList();
        return other.isEmpty() ? null : String.join(", ", other);
    }

    /** Only the figures the site gathers (gres/gpuutil, gres/gpumem); nothing is made up when they are absent. */
    private static String gpuUse(JobStats s) {
        if (Hints.gpus(s.allocTres()) == 0) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        String util = s.tresUsageMax().get("gres/gpuutil");
        if (util != null && !util.isBlank()) {
            parts.add("utilisation peaked at " + util + "%");
        }
        SlurmValues.bytes(s.tresUsageMax().get("gres/gpumem"), 1, 1)
                .ifPresent(b -> parts.add("GPU memory peaked at " + SlurmValues.formatBytes(b)));
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String tally(Map<String, Integer> states) {
        List<String> parts = new ArrayList<>();
        states.forEach((state, n) -> parts.add(n + " " + state));
        return String.join(", ", parts);
    }

    private static String text(String title, List<String> notes) {
        StringBuilder out = new StringBuilder(title);
        if (!notes.isEmpty()) {
            out.append("\n\n");
            notes.forEach(n -> out.append(n).append('\n'));
        }
        return out.toString().stripTrailing();
    }

    private String render(
            String template, JobEvent e, Optional<JobStats> stats, List<Fact> facts, List<String> advice) {
        Map<String, String> values = new HashMap<>();
        values.put("jobId", e.jobId());
        values.put("arrayJobId", e.arrayJobId());
        values.put("arrayTaskId", e.arrayTaskId());
        values.put("name", e.name());
        values.put("user", e.user());
        values.put("cluster", e.cluster());
        values.put("partition", e.partition());
        values.put("account", e.account());
        values.put("mailType", e.mailType().subjectWord());
        values.put(
                "state",
                e.state() != null ? e.state() : stats.map(JobStats::baseState).orElse(null));
        values.put("exitCode", e.exitCode() != null ? e.exitCode().toString() : null);
        values.put("runTime", e.runTime());
        values.put("queuedTime", e.queuedTime());
        values.put("nodes", e.nodeList());
        values.put("workDir", e.workDir());
        values.put("stdout", OutputPaths.stdout(e));
        values.put("stderr", OutputPaths.stderr(e));
        StringBuilder factLines = new StringBuilder();
        facts.forEach(
                f -> factLines.append(f.label()).append(": ").append(f.value()).append('\n'));
        values.put("facts", factLines.toString().stripTrailing());
        values.put("hints", String.join("\n", advice));
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.containsKey(m.group(1)) ? values.get(m.group(1)) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static SlurmJob slurmJob(JobEvent e, Optional<JobStats> stats) {
        String state =
                e.state() != null ? e.state() : stats.map(JobStats::baseState).orElse(null);
        String exit = e.exitCode() != null
                ? e.exitCode() + ":0"
                : e.signal() != null
                        ? "0:" + e.signal()
                        : stats.map(JobStats::exitCode).orElse(null);
        return new SlurmJob(
                e.jobId(),
                e.arrayJobId(),
                e.arrayTaskId(),
                e.name(),
                e.user(),
                e.cluster(),
                e.partition(),
                e.mailType().subjectWord(),
                state,
                exit,
                e.queuedTime(),
                e.runTime() != null
                        ? e.runTime()
                        : stats.map(JobStats::elapsed).map(SlurmValues::format).orElse(null),
                e.workDir(),
                OutputPaths.stdout(e),
                OutputPaths.stderr(e));
    }

    private static void add(List<Fact> facts, String label, String value) {
        if (value != null && !value.isBlank()) {
            facts.add(new Fact(label, value));
        }
    }

    private static String join(String sep, String... parts) {
        List<String> present = new ArrayList<>();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                present.add(p);
            }
        }
        return String.join(sep, present);
    }
}
