package io.herald.mailprog.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job statistics from {@code sacct}, called by absolute path.
 *
 * <p>The accounting database lags behind the END mail by seconds, so for mails about a finished job sacct is asked
 * again, a bounded number of times, until the job row shows a final state; after that the last answer is used as it is.
 * The steps (peak memory) of a job that ran may come later still: for END/FAIL they are waited for, up to stepWait.
 * When sacct never answers, the lookup says why, so the message can. JobID is always in the field set and JobName is
 * last: array rows are attributed by JobID (sacct's row order is not the task order), and a {@code |} in a job name can
 * only shift the last column.
 */
public final class Sacct implements Accounting {

    private static final Logger log = LoggerFactory.getLogger(Sacct.class);

    public static final List<String> FIELDS = List.of(
            "JobID",
            "State",
            "ExitCode",
            "Partition",
            "Account",
            "NodeList",
            "NNodes",
            "NCPUS",
            "Submit",
            "Start",
            "End",
            "Timelimit",
            "Elapsed",
            "TotalCPU",
            "ReqMem",
            "MaxRSS",
            "AllocTRES",
            "TRESUsageInTot",
            "TRESUsageInMax",
            "JobName");

    private static final Set<String> UNFINISHED = Set.of(
            "PENDING",
            "RUNNING",
            "REQUEUED",
            "REQUEUE_HOLD",
            "REQUEUE_FED",
            "RESIZING",
            "SUSPENDED",
            "COMPLETING",
            "CONFIGURING",
            "SIGNALING",
            "STAGE_OUT",
            "RESV_DEL_HOLD",
            "POWER_UP_NODE",
            "UPDATE_DB",
            "");

    /** Sleeps between attempts; tests pass one that does not. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Path sacct;
    private final int attempts;
    private final Duration delay;
    private final Duration timeout;
    private final Duration stepWait;
    private final ZoneId zone;
    private final Sleeper sleeper;

    /**
     * @param stepWait how much longer to ask, for the END/FAIL of a job that ran, when its row is final but its steps
     *     are not in accounting yet (0: do not wait for them)
     */
    public Sacct(
            Path sacct,
            int attempts,
            Duration delay,
            Duration timeout,
            Duration stepWait,
            ZoneId zone,
            Sleeper sleeper) {
        this.sacct = sacct;
        this.attempts = Math.max(1, attempts);
        this.delay = delay;
        this.timeout = timeout;
        this.stepWait = stepWait;
        this.zone = zone;
        this.sleeper = sleeper;
    }

    @Override
    public StatsLookup lookup(JobEvent event) {
        String id = event.accountingId();
        if (id == null || !id.matches("[0-9]+(_[0-9]+)?")) {
            // Never hand user-influenced text to a command line.
            return new StatsLookup.NotAsked();
        }
        boolean waitForFinal = event.mailType().jobFinished();
        Optional<JobStats> last = Optional.empty();
        boolean answered = false;
        String failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Answer answer = run(id);
            if (answer instanceof Answer.Output(String text)) {
                answered = true;
                last = interpret(SacctTable.parse(FIELDS, text), event);
                if (last.isPresent() && (!waitForFinal || last.get().finalState())) {
                    return new StatsLookup.Found(waitForSteps(id, event, last.get()));
                }
                if (!waitForFinal) {
                    // Only a finished job is worth waiting for; a running one will not look different soon.
                    break;
                }
            } else if (answer instanceof Answer.Failed(String reason)) {
                failure = reason;
            }
            if (attempt < attempts && !sleep(delay)) {
                break;
            }
        }
        if (last.isPresent()) {
            if (waitForFinal) {
                log.info(
                        "sacct still shows job {} as {} after {} attempt(s); sending what it knows",
                        id,
                        last.get().state(),
                        attempts);
            }
            return new StatsLookup.Found(last.get());
        }
        if (!answered && failure != null) {
            return new StatsLookup.Unavailable(failure);
        }
        return new StatsLookup.NotKnown();
    }

    /**
     * The job row of a job that ran is final, but its steps (peak memory) are not in accounting yet: they arrive
     * seconds later, notably for CANCELLED and TIMEOUT. Ask again for at most stepWait.
     */
    private JobStats waitForSteps(String id, JobEvent event, JobStats found) {
        if (!(event.mailType() == MailType.END || event.mailType() == MailType.FAIL)
                || stepWait.isZero()
                || !found.ran()
                || found.maxRss() != null
                || event.arraySummary()) {
            return found;
        }
        // A zero delay (tests, or an impatient site) must still bound the loop by stepWait.
        Duration step = delay.isZero() ? Duration.ofMillis(500) : delay;
        Duration waited = Duration.ZERO;
        JobStats best = found;
        while (waited.compareTo(stepWait) < 0) {
            Duration next = step.compareTo(stepWait.minus(waited)) < 0 ? step : stepWait.minus(waited);
            if (!sleep(next)) {
                return best;
            }
            waited = waited.plus(next);
            if (run(id) instanceof Answer.Output(String text)) {
                Optional<JobStats> again = interpret(SacctTable.parse(FIELDS, text), event);
                if (again.isPresent() && again.get().finalState()) {
                    best = again.get();
                    if (best.maxRss() != null) {
                        return best;
                    }
                }
            }
        }
        log.info("job {}: its steps did not reach accounting within {}; sending without peak memory", id, stepWait);
        return best;
    }

    private boolean sleep(Duration d) {
        try {
            sleeper.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One sacct call: its output, or in a few words why there is none. */
    private sealed interface Answer {
        record Output(String text) implements Answer {}

        record Failed(String reason) implements Answer {}
    }

    private Answer run(String id) {
        List<String> command = List.of(sacct.toString(), "-j", id, "-n", "-P", "--format", String.join(",", FIELDS));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            // Epoch seconds: no doubt about the time zone sacct printed in.
            builder.environment().put("SLURM_TIME_FORMAT", "%s");
            process = builder.start();
        } catch (IOException e) {
            log.warn("cannot run {}: {}", sacct, e.getMessage());
            return new Answer.Failed("sacct could not be started");
        }
        try (InputStream out = process.getInputStream();
                InputStream err = process.getErrorStream()) {
            process.getOutputStream().close();
            CompletableFuture<byte[]> stdout =
                    CompletableFuture.supplyAsync(() -> readAll(out), Thread::startVirtualThread);
            CompletableFuture<byte[]> stderr =
                    CompletableFuture.supplyAsync(() -> readAll(err), Thread::startVirtualThread);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                log.warn("{} -j {} took longer than {}; killed", sacct, id, timeout);
                return new Answer.Failed(
                        "sacct did not answer within " + SlurmValues.format(timeout) + " (is slurmdbd up?)");
            }
            if (process.exitValue() != 0) {
                String message = new String(stderr.join(), StandardCharsets.UTF_8).strip();
                String first = message.lines().findFirst().orElse("");
                log.warn("{} -j {} exited {}: {}", sacct, id, process.exitValue(), first);
                return new Answer.Failed(
                        "sacct exited " + process.exitValue() + (first.isEmpty() ? "" : ": " + cut(first, 120)));
            }
            return new Answer.Output(new String(stdout.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("reading {} failed: {}", sacct, e.getMessage());
            return new Answer.Failed("sacct's output could not be read");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Answer.Failed("interrupted while waiting for sacct");
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Picks the job's row (and its steps) out of sacct's rows; for an array summary, tallies the tasks. */
    Optional<JobStats> interpret(List<Map<String, String>> rows, JobEvent event) {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        if (event.arraySummary() && event.arrayJobId() != null) {
            return summary(rows, event.arrayJobId());
        }
        List<String> ids = new ArrayList<>();
        if (event.arrayJobId() != null && event.arrayTaskId() != null) {
            ids.add(event.arrayJobId() + "_" + event.arrayTaskId());
        }
        ids.add(event.jobId());
        Map<String, String> job = null;
        for (String id : ids) {
            job = rows.stream()
                    .filter(r -> id.equals(r.get("jobid")))
                    .findFirst()
                    .orElse(null);
            if (job != null) {
                break;
            }
        }
        if (job == null) {
            List<Map<String, String>> jobRows =
                    rows.stream().filter(r -> !r.get("jobid").contains(".")).toList();
            if (jobRows.size() != 1) {
                return Optional.empty();
            }
            job = jobRows.getFirst();
        }
        String prefix = job.get("jobid") + ".";
        Long maxRss = null;
        Map<String, String> usageMax = new LinkedHashMap<>();
        Map<String, String> usageTot = Map.of();
        for (Map<String, String> row : rows) {
            if (row.get("jobid").startsWith(prefix)) {
                Long rss = SlurmValues.bytes(row.get("maxrss"), 1, 1).orElse(null);
                if (rss != null && (maxRss == null || rss > maxRss)) {
                    maxRss = rss;
                    // The step that used most memory is the one whose totals say most about the job.
                    usageTot = SlurmValues.tres(row.get("tresusageintot"));
                }
                SlurmValues.tres(row.get("tresusageinmax"))
                        .forEach((name, value) -> usageMax.merge(name, value, Sacct::larger));
            }
        }
        Integer cpus = integer(job.get("ncpus"));
        Integer nodes = integer(job.get("nnodes"));
        String state = job.get("state");
        // Seen on a real 22.05 cluster: for about a second after a short job ends, its row is final
        // already but not complete yet (ReqMem "16?", JobName "allocation"). Composing from it loses the
        // request, and with it the memory-kill hint: such a row counts as not final, so it is asked again.
        boolean complete = !job.getOrDefault("reqmem", "").strip().endsWith("?");
        return Optional.of(new JobStats(
                job.get("jobid"),
                state,
                isFinal(state) && complete,
                blankToNull(job.get("exitcode")),
                blankToNull(job.get("partition")),
                blankToNull(job.get("account")),
                blankToNull(job.get("nodelist")),
                nodes,
                cpus,
                SlurmValues.instant(job.get("submit"), zone).orElse(null),
                SlurmValues.instant(job.get("start"), zone).orElse(null),
                SlurmValues.instant(job.get("end"), zone).orElse(null),
                timeLimit(job.get("timelimit")),
                SlurmValues.duration(job.get("elapsed")).orElse(null),
                SlurmValues.duration(job.get("totalcpu")).orElse(null),
                SlurmValues.bytes(job.get("reqmem"), cpus == null ? 1 : cpus, nodes == null ? 1 : nodes)
                        .orElse(null),
                maxRss,
                Map.of(),
                List.of(),
                SlurmValues.tres(job.get("alloctres")),
                usageMax,
                usageTot));
    }

    private Optional<JobStats> summary(List<Map<String, String>> rows, String arrayJobId) {
        Pattern task = Pattern.compile(Pattern.quote(arrayJobId) + "_(\\d+|\\[[^]]*])");
        Map<String, Integer> states = new LinkedHashMap<>();
        List<JobStats.TaskOutcome> tasks = new ArrayList<>();
        Map<String, String> first = null;
        boolean allFinal = true;
        for (Map<String, String> row : rows) {
            var m = task.matcher(row.get("jobid"));
            if (!m.matches()) {
                continue;
            }
            first = first == null ? row : first;
            String base = row.get("state").split(" ", 2)[0];
            int count = m.group(1).startsWith("[") ? rangeSize(m.group(1)) : 1;
            states.merge(base, count, Integer::sum);
            tasks.add(new JobStats.TaskOutcome(m.group(1), count, base, blankToNull(row.get("exitcode"))));
            allFinal &= isFinal(base);
        }
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(new JobStats(
                arrayJobId + "_*",
                null,
                allFinal,
                null,
                blankToNull(first.get("partition")),
                blankToNull(first.get("account")),
                null,
                null,
                integer(first.get("ncpus")),
                SlurmValues.instant(first.get("submit"), zone).orElse(null),
                null,
                null,
                timeLimit(first.get("timelimit")),
                null,
                null,
                null,
                null,
                states,
                tasks,
                Map.of(),
                Map.of(),
                Map.of()));
    }

    /** {@code [4-5]} or {@code [4-5,9]} (pending tasks sacct folds into one row) → how many tasks. */
    private static int rangeSize(String bracketed) {
        int n = 0;
        for (String part : bracketed.substring(1, bracketed.length() - 1).split(",")) {
            String p = part.split("%", 2)[0];
            String[] ends = p.split("-", 2);
            try {
                n += ends.length == 2 ? Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1 : 1;
            } catch (NumberFormatException e) {
                n += 1;
            }
        }
        return Math.max(1, n);
    }

    /** The larger of two TRES figures (counts, percentages or sizes such as 210M); the first when not comparable. */
    private static String larger(String a, String b) {
        return SlurmValues.bytes(b, 1, 1).orElse(0L)
                        > SlurmValues.bytes(a, 1, 1).orElse(0L)
                ? b
                : a;
    }

    /** Null when the job has no limit of its own (UNLIMITED, Partition_Limit): nothing to suggest shortening. */
    private static Duration timeLimit(String text) {
        return SlurmValues.noTimeLimit(text) ? null : SlurmValues.duration(text).orElse(null);
    }

    static boolean isFinal(String state) {
        String base = state == null ? "" : state.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        return !UNFINISHED.contains(base);
    }

    private static Integer integer(String s) {
        try {
            return s == null || s.isBlank() ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
