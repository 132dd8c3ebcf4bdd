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
 * Advice on the job script, as goslmailer gives it: what to do after running out of memory or time, and where a job
 * asked for much more memory, CPU, GPU or time than it used (which makes it wait longer in the queue and keeps others
 * out). Thresholds are configurable; goslmailer's are the defaults.
 *
 * <p>Only figures accounting gave are used, and a job whose usage says nothing about its needs (it was cancelled,
 * killed, or ran too briefly) gets no over-request advice: that advice would be noise.
 */
public final class Hints {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

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
        Integer signal = signal(e, s);
        if (state.equals("OUT_OF_MEMORY")) {
            String used = s != null && s.maxRss() != null && s.reqMem() != null
                    ? " (it reached " + SlurmValues.formatBytes(s.maxRss()) + " of the "
                            + SlurmValues.formatBytes(s.reqMem()) + " requested)"
                    : "";
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
        if (killedForMemory(state, signal, s)) {
            out.add(String.format(
                    Locale.ROOT,
                    "Memory: the job was most likely stopped for using more memory than it requested: its peak was "
                            + "%s, %d%% of the %s requested%s. Request more (about --mem=%s), or make it use less.",
                    SlurmValues.formatBytes(s.maxRss()),
                    Math.round(100.0 * s.maxRss() / s.reqMem()),
                    SlurmValues.formatBytes(s.reqMem()),
                    signal == null ? "" : " (killed by signal " + signal + ")",
                    memFlag(suggestMemory(s.maxRss()))));
            return out;
        }
        if (s == null || !s.finalState() || state.equals("CANCELLED") || signal != null) {
            // A cancelled or killed job's usage says nothing about what it would have needed.
            return out;
        }
        if (s.maxRss() != null
                && s.reqMem() != null
                && s.reqMem() > 0
                && s.maxRss() * 100 < s.reqMem() * config.memoryPercent()) {
            long suggest = suggestMemory(s.maxRss());
            // Never advise asking for as much as (or more than) the job already asked for.
            if (suggest < s.reqMem()) {
                out.add(String.format(
                        Locale.ROOT,
                        "Memory: the job used at most %s of the %s it requested (%d%%). About --mem=%s would do, "
                                + "and jobs that ask for less start sooner.",
                        SlurmValues.formatBytes(s.maxRss()),
                        SlurmValues.formatBytes(s.reqMem()),
                        Math.round(100.0 * s.maxRss() / s.reqMem()),
                        memFlag(suggest)));
            }
        }
        boolean longEnough = s.elapsed() != null && s.elapsed().compareTo(config.cpuMinElapsed()) >= 0;
        Double efficiency = s.cpuEfficiency();
        if (efficiency != null && longEnough && efficiency * 100 < config.cpuPercent()) {
            out.add(String.format(
                    Locale.ROOT,
                    "CPU: the job kept its %d CPU(s) %d%% busy (%s CPU time in %s). Request fewer CPUs, "
                            + "or check that the program uses the ones it gets (threads, MPI ranks).",
                    s.cpus(),
                    Math.round(efficiency * 100),
                    SlurmValues.format(s.totalCpu()),
                    SlurmValues.format(s.elapsed())));
        }
        if (longEnough) {
            gpuHint(s).ifPresent(out::add);
        }
        if (s.elapsed() != null
                && s.timeLimit() != null
                && !s.timeLimit().isZero()
                && s.elapsed().toMillis() * 100 < s.timeLimit().toMillis() * config.walltimePercent()) {
            Duration suggest = roundUpQuarterHour(s.elapsed().multipliedBy(3).dividedBy(2));
            String qosHint = qos.stream()
                    .filter(q -> q.getValue().compareTo(suggest) >= 0)
                    .findFirst()
                    .map(q -> " QOS " + q.getKey() + " (up to " + SlurmValues.format(q.getValue()) + ") would fit.")
                    .orElse("");
            out.add("Time: the job ran " + SlurmValues.format(s.elapsed()) + " of its "
                    + SlurmValues.format(s.timeLimit()) + " limit. A shorter --time (say " + SlurmValues.format(suggest)
                    + ") gets it scheduled sooner." + qosHint);
        }
        return out;
    }

    /**
     * Slurm without cgroups (jobacct_gather's OverMemoryKill) reports a memory kill as FAILED with signal 9, not
     * OUT_OF_MEMORY; its peak then stands at or over the request.
     */
    private boolean killedForMemory(String state, Integer signal, JobStats s) {
        boolean failed = state.equals("FAILED")
                || (state.equals("CANCELLED") && Integer.valueOf(9).equals(signal));
        return failed
                && s != null
                && s.maxRss() != null
                && s.reqMem() != null
                && s.reqMem() > 0
                && s.maxRss() * 100 >= s.reqMem() * config.memoryKillPercent();
    }

    /** GPUs held but barely used, judged only from figures the site gathers (gres/gpuutil, gres/gpumem). */
    private Optional<String> gpuHint(JobStats s) {
        int gpus = gpus(s.allocTres());
        if (gpus == 0) {
            return Optional.empty();
        }
        Optional<Long> util = number(s.tresUsageMax().get("gres/gpuutil"));
        if (util.isPresent() && util.get() < config.gpuPercent()) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "GPU: the job held %d GPU(s) but their utilisation peaked at "
                            + "%d%%. Request fewer GPUs, or check that the program runs on them "
                            + "(CUDA_VISIBLE_DEVICES, a "
                            + "GPU build of the framework).",
                    gpus,
                    util.get()));
        }
        Optional<Long> memory = SlurmValues.bytes(s.tresUsageMax().get("gres/gpumem"), 1, 1);
        if (util.isEmpty() && memory.isPresent() && memory.get() == 0) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "GPU: the job held %d GPU(s) but used no GPU memory. "
                            + "Request none, or check that the program runs on them.",
                    gpus));
        }
        return Optional.empty();
    }

    /** GPUs in AllocTRES: {@code gres/gpu}, or the typed entries ({@code gres/gpu:a100}) when only those are there. */
    static int gpus(Map<String, String> allocTres) {
        Optional<Long> plain = number(allocTres.get("gres/gpu"));
        if (plain.isPresent()) {
            return plain.get().intValue();
        }
        return (int) allocTres.entrySet().stream()
                .filter(t -> t.getKey().startsWith("gres/gpu:"))
                .mapToLong(t -> number(t.getValue()).orElse(0L))
                .sum();
    }

    private static Optional<Long> number(String text) {
        try {
            return text == null || text.isBlank() ? Optional.empty() : Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Integer signal(JobEvent e, JobStats s) {
        if (e.signal() != null) {
            return e.signal() == 0 ? null : e.signal();
        }
        if (e.exitCode() != null || s == null || s.exitCode() == null) {
            return null;
        }
        String[] parts = s.exitCode().split(":", 2);
        try {
            int sig = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : 0;
            return sig == 0 ? null : sig;
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /**
     * What to ask for, given a peak: 20 % headroom, rounded up to a step people write (16M steps up to 64M, then 64M,
     * 256M, 512M, 1G, 4G and 16G steps as sizes grow).
     */
    static long suggestMemory(long peak) {
        long want = Math.max(MIB, peak + peak / 5);
        long step;
        if (want <= 64 * MIB) {
            step = 16 * MIB;
        } else if (want <= 256 * MIB) {
            step = 64 * MIB;
        } else if (want <= GIB) {
            step = 256 * MIB;
        } else if (want <= 4 * GIB) {
            step = 512 * MIB;
        } else if (want <= 16 * GIB) {
            step = GIB;
        } else if (want <= 64 * GIB) {
            step = 4 * GIB;
        } else {
            step = 16 * GIB;
        }
        return (want + step - 1) / step * step;
    }

    /** As --mem takes it: a whole number with a unit ({@code 1536M}, not 1.5G, which sbatch refuses). */
    static String memFlag(long bytes) {
        return bytes % GIB == 0 ? bytes / GIB + "G" : bytes / MIB + "M";
    }

    private static Duration roundUpQuarterHour(Duration d) {
        long quarter = 15 * 60;
        long s = Math.max(quarter, (d.toSeconds() + quarter - 1) / quarter * quarter);
        return Duration.ofSeconds(s);
    }
}
