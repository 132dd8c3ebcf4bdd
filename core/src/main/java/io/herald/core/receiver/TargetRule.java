package io.herald.core.receiver;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks that a target is well-formed for its channel. Returns the reason when it is not, so the parser can report it
 * without throwing. {@link #kind()} and {@link #pattern()} describe the rule to clients outside Java (the web page
 * reads them from {@code GET /v1/channels}).
 */
public interface TargetRule {

    /** @return empty when the target is acceptable, otherwise what is wrong with it */
    Optional<String> check(String target);

    /** {@code any}, {@code email} or {@code pattern}: how a client checks the rule. */
    String kind();

    /** For {@code pattern} rules: the whole target must match it (Java and JavaScript read it alike). */
    default String pattern() {
        return "";
    }

    /** For {@code pattern} rules: what is said of a target that does not match. */
    default String problem() {
        return "";
    }

    /** Any non-blank target without whitespace or control characters. */
    TargetRule ANY = new Named(
            "any",
            target -> target.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
                    ? Optional.of("contains whitespace or control characters")
                    : Optional.empty());

    /** A mailbox address: see {@link EmailAddresses#problem(String)}. */
    TargetRule EMAIL = new Named("email", EmailAddresses::problem);

    /**
     * A target that matches {@code regex} as a whole.
     *
     * @param regex in the subset of syntax Java and JavaScript share (no possessive quantifiers, no \p)
     * @param problem the reason given for a target that does not match, e.g. "not a chat id (...)"
     */
    static TargetRule matching(String regex, String problem) {
        return new Matching(Pattern.compile(regex), problem);
    }

    /** A rule known by name to every client. */
    record Named(String kind, Function<String, Optional<String>> rule) implements TargetRule {
        @Override
        public Optional<String> check(String target) {
            return rule.apply(target);
        }
    }

    /** A rule given as a regular expression. */
    record Matching(Pattern compiled, String problem) implements TargetRule {
        @Override
        public Optional<String> check(String target) {
            return compiled.matcher(target).matches() ? Optional.empty() : Optional.of(problem);
        }

        @Override
        public String kind() {
            return "pattern";
        }

        @Override
        public String pattern() {
            return compiled.pattern();
        }
    }
}
