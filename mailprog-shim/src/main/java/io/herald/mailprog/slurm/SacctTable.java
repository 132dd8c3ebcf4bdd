package io.herald.mailprog.slurm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of {@code sacct --parsable2} output, keyed by the field names that were asked for.
 *
 * <p>sacct does not escape {@code |} inside values, and JobName is user text: a line with more fields than requested
 * has a job name containing {@code |}, and the surplus is given back to the JobName column wherever it stands
 * (slurm-mail learnt to put it last; goslmailer's field set has it first). Lines with too few fields are dropped, not
 * guessed at.
 */
public final class SacctTable {

    private SacctTable() {}

    /** @param fields the --format list as given to sacct, in order */
    public static List<Map<String, String>> parse(List<String> fields, String output) {
        List<String> names =
                fields.stream().map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
        int free = names.indexOf("jobname");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\|", -1);
            int n = names.size();
            if (parts.length < n || (parts.length > n && free < 0)) {
                continue;
            }
            int extra = parts.length - n;
            Map<String, String> row = new LinkedHashMap<>();
            int p = 0;
            for (int i = 0; i < n; i++) {
                if (i == free && extra > 0) {
                    row.put(names.get(i), String.join("|", Arrays.copyOfRange(parts, p, p + extra + 1)));
                    p += extra + 1;
                } else {
                    row.put(names.get(i), parts[p++]);
                }
            }
            rows.add(row);
        }
        return rows;
    }
}
