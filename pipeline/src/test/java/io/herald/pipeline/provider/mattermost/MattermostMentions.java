package io.herald.pipeline.provider.mattermost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a post that Mattermost's server would take as mentions, after its own rules: the post is parsed as
 * Markdown (a backslash escape leaves the character alone in the text), then StandardMentionParser.ProcessText
 * (server/channels/app/mention_parser_standard.go) splits the text on every rune that is not {@code : . - _ @}, a
 * letter or a number, trims {@code : . - _} from the left, and tries the word, the word without trailing {@code . - :
 * _}, and its pieces split on {@code . - :}. A test double of Mattermost (no Mattermost server runs here); it reports
 * every {@code @word} piece, which covers {@code @channel}, {@code @all}, {@code @here} and users.
 */
final class MattermostMentions {

    private static final Pattern BACKSLASH_ESCAPE = Pattern.compile("\\\\(\\p{Punct})");

    private MattermostMentions() {}

    static List<String> of(String markdown) {
        String text = BACKSLASH_ESCAPE.matcher(markdown).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        List<String> found = new ArrayList<>();
        for (String word : words(text)) {
            String w = word.replaceFirst("^[:.\\-_]+", "");
            List<String> candidates = new ArrayList<>(List.of(w));
            String trimmed = w;
            while (!trimmed.isEmpty() && ".-:_".indexOf(trimmed.charAt(trimmed.length() - 1)) >= 0) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
                candidates.add(trimmed);
            }
            candidates.addAll(List.of(w.split("[.\\-:]+")));
            candidates.stream()
                    .filter(c -> c.startsWith("@") && c.length() > 1)
                    .map(c -> c.toLowerCase(Locale.ROOT))
                    .distinct()
                    .forEach(found::add);
        }
        return found;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> {
            boolean part = c == ':'
                    || c == '.'
                    || c == '-'
                    || c == '_'
                    || c == '@'
                    || Character.isLetter(c)
                    || Character.isDigit(c)
                    || Character.getType(c) == Character.LETTER_NUMBER
                    || Character.getType(c) == Character.OTHER_NUMBER;
            if (part) {
                word.appendCodePoint(c);
            } else if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
            }
        });
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
