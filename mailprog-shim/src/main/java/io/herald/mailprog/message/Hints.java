package io.herald.mailprog.message;

import io.herald.core.config.MailprogConfig;
import io.herald.mailprog.slurm.JobEvent;
import io.herald.mailprog.slurm.JobStats;
import io.herald.mailprog.slurm.MailType;
import io.herald.mailprog.slurm.SlurmValues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Advice on the job script, as goslmailer gives it: what to do after running out of memory or
 * time, and where a job asked for much more memory, CPU or time than it used (which makes it wait
 * longer in the queue and keeps others out). Thresholds are configurable; goslmailer's are the defaults.
 */
public final class Hints {

    private final MailprogConfig.Hints config;
    /** QOS name → wall-time limit, shortest first. */
    private final List<Map.Entry<String, Duration>> qos;

    public Hints(MailprogConfig.Hints config, Map<String, Duration> qos) {
        this.config = config;
        this.qos = qos.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
    }

    public List<String> hintsFor(JobEvent e, Optional<JobStats> stats) {
        List<String> out = new ArrayList<>();
        if (!config.enabled()) {
            return out;
        }
        String state = stats.map(JobStats::baseState).orElse(e.state());
        if (state == null || !(e.mailType() == MailType.END || e.mailType() == MailType.FAIL)) {
            return out;
        }
        JobStats s = stats.orElse(null);
        if (state.equals("OUT_OF_MEMORY")) {
            String used = s != null && s.maxRss() != null && s.reqMem() != null
                    ? " (it reached " + SlurmValues.formatBytes(s.maxRss()) + " of the "
                    + SlurmValues.formatBytes(s.reqMem()) + " requested)" : "";
            out.add("The job ran out of memory" + used + ": request more with --mem (or --mem-per-cpu), "
                    + "or make it use less.");
            return out;
        }
        if (state.equals("TIMEOUT")) {
            String limit = s != null && s.timeLimit() != null ? " of " + SlurmValues.format(s.timeLimit()) : "";
            out.add("The job reached its time limit" + limit + " and was stopped: request more with --time, "
                    + "or let it checkpoint and resume.");
            return out;
        }
        if (s == null || !s.finalState() || state.equals("CANCELLED")) {
            // A cancelled job's usage says nothing about what it would have needed.
            return out;
        }
        if (s.maxRss() != null && s.reqMem() != null && s.reqMem() > 0
                && s.maxRss() * 100 < s.reqMem() * config.memoryPercent()) {
            long suggest = roundUpGiB((long) (s.maxRss() * 1.2));
            out.add(String.format(Locale.ROOT,
                    "Memory: the job used at most %s of the %s it requested (%d%%). About --mem=%dG would do, "
                            + "and jobs that ask for less start sooner.",
                    SlurmValues.formatBytes(s.maxRss()), SlurmValues.formatBytes(s.reqMem()),
                    Math.round(100.0 * s.maxRss() / s.reqMem()), suggest / (1L << 30)));
        }
        Double efficiency = s.cpuEfficiency();
        if (efficiency != null && efficiency * 100 < config.cpuPercent()) {
            out.add(String.format(Locale.ROOT,
                    "CPU: the job kept its %d CPU(s) %d%% busy (%s CPU time in %s). Request fewer CPUs, "
                            + "or check that the program uses the ones it gets (threads, MPI ranks).",
                    s.cpus(), Math.round(efficiency * 100), SlurmValues.format(s.totalCpu()),
                    SlurmValues.format(s.elapsed())));
        }
        if (s.elapsed() != null && s.timeLimit() != null && !s.timeLimit().isZero()
                && s.elapsed().toMillis() * 100 < s.timeLimit().toMillis() * config.walltimePercent()) {
            Duration suggest = roundUpQuarterHour(s.elapsed().multipliedBy(3).dividedBy(2));
            String qosHint = qos.stream().filter(q -> q.getValue().compareTo(suggest) >= 0).findFirst()
                    .map(q -> " QOS " + q.getKey() + " (up to " + SlurmValues.format(q.getValue()) + ") would fit.")
                    .orElse("");
            out.add("Time: the job ran " + SlurmValues.format(s.elapsed()) + " of its " + SlurmValues.format(s.timeLimit())
                    + " limit. A shorter --time (say " + SlurmValues.format(suggest) + ") gets it scheduled sooner."
                    + qosHint);
        }
        return out;
    }

    private static long roundUpGiB(long bytes) {
        long gib = 1L << 30;
        return Math.max(gib, (bytes + gib - 1) / gib * gib);
    }

    private static Duration roundUpQuarterHour(Duration d) {
        long quarter = 15 * 60;
        long s = Math.max(quarter, (d.toSeconds() + quarter - 1) / quarter * quarter);
        return Duration.ofSeconds(s);
    }
}
