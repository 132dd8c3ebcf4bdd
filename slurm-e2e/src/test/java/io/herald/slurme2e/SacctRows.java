package io.herald.slurme2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What {@code sacct -j ID -n -P} says about a job (or an array: every task), the yardstick every delivered message is
 * held against. Rows are job rows ({@code 12}, {@code 12_3}) and step rows ({@code 12.batch}, {@code 12.extern});
 * MaxRSS only appears on step rows.
 */
record SacctRows(List<Row> rows) {

    static final String FORMAT = "JobIDRaw,JobID,State,ExitCode,Elapsed,NCPUS,ReqMem,MaxRSS";
    private static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?[KMGTP]?[nc]?");

    /** One sacct line. {@code idRaw} is the job's own id even for an array task ({@code 13}, {@code 13.batch}). */
    record Row(
            String idRaw,
            String id,
            String state,
            String exitCode,
            String elapsed,
            int cpus,
            String reqMem,
            String maxRss) {

        boolean step() {
            return idRaw.contains(".");
        }

        /** {@code CANCELLED} for {@code CANCELLED by 0}. */
        String baseState() {
            int space = state.indexOf(' ');
            return space < 0 ? state : state.substring(0, space);
        }

        boolean finalState() {
            return !List.of("PENDING", "RUNNING", "REQUEUED", "SUSPENDED", "RESIZING", "REQUEUE_HOLD", "REQUEUE_FED")
                    .contains(baseState());
        }
    }

    static SacctRows parse(String out) {
        List<Row> rows = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length < 8) {
                throw new IllegalStateException("sacct line with " + f.length + " fields, not 8: " + line);
            }
            rows.add(new Row(f[0], f[1], f[2], f[3], f[4], f[5].isEmpty() ? 0 : Integer.parseInt(f[5]), f[6], f[7]));
        }
        return new SacctRows(List.copyOf(rows));
    }

    /** The job row of the job (or array task) whose own id is {@code jobId}. */
    Optional<Row> job(String jobId) {
        return rows.stream().filter(r -> r.idRaw().equals(jobId)).findFirst();
    }

    /** The job rows of an array's tasks, or the single job's row. */
    List<Row> jobRows() {
        return rows.stream().filter(r -> !r.step()).toList();
    }

    /** The highest MaxRSS of the job's steps, in bytes, when sacct has one. */
    OptionalLong peakRss(String jobId) {
        return rows.stream()
                .filter(r -> r.idRaw().startsWith(jobId + ".") && !r.maxRss().isEmpty())
                .mapToLong(r -> bytes(r.maxRss()))
                .max();
    }

    /**
     * True when every job row is final and complete, and each job that ran has its batch step with a final state. Right
     * after a short job ends, sacct 22.05 can show its row final already but not yet complete: ReqMem {@code 16?} and
     * JobName {@code allocation}, for a second or so.
     */
    boolean settled() {
        List<Row> jobs = jobRows();
        if (jobs.isEmpty()
                || !jobs.stream()
                        .allMatch(
                                r -> r.finalState() && SIZE.matcher(r.reqMem()).matches())) {
            return false;
        }
        for (Row j : jobs) {
            boolean ran = !j.elapsed().equals("00:00:00") || !j.baseState().equals("CANCELLED");
            Optional<Row> batch = rows.stream()
                    .filter(r -> r.idRaw().equals(j.idRaw() + ".batch"))
                    .findFirst();
            if (ran && (batch.isEmpty() || !batch.get().finalState())) {
                return false;
            }
        }
        return true;
    }

    /** sacct's sizes (K, M, G suffixes, 1024-based; a per-node/per-CPU n or c ignored) in bytes. */
    static long bytes(String size) {
        String s = size.strip().replaceAll("[nc]$", "");
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Math.round(Double.parseDouble(digits) * unit);
    }
}
