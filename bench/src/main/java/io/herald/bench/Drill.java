package io.herald.bench;

/**
 * One benchmark or fault drill, run by the harness as {@code ./herald bench <name> [drill args]} and, in a fixed order,
 * by {@code ./herald bench all}. A drill that finds a broken invariant (a lost message, a 5xx) still returns its
 * figures and names the breakage under {@link DrillResult#VIOLATIONS}; the harness prints it plainly and exits non-zero
 * at the end.
 */
public interface Drill {

    /** The word after {@code ./herald bench}, e.g. "api". */
    String name();

    /** One line for {@code --help}, including its default sizes and rough duration. */
    String description();

    DrillResult run(DrillContext context) throws Exception;

    /**
     * The options {@code ./herald bench all} runs this drill with: its defaults unless it needs smaller sizes there.
     */
    default java.util.List<String> argsForAll() {
        return java.util.List.of();
    }
}
