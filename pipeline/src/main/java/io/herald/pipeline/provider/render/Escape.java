package io.herald.pipeline.provider.render;

/**
 * Escaping of user text for each markup a channel speaks. User text (job names, titles, facts) is never trusted: a job
 * may be called {@code <script>alert(1)</script>} or {@code *everyone*}. Each function escapes only what its markup
 * needs, so the text stays legible where it is shown.
 */
public final class Escape {

    private Escape() {}

    /** HTML text and attribute values (email, Matrix): the five special characters. */
    public static String html(String s) {
        return replace(s, c -> switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        });
    }

    /**
     * The entities of HTML-like markups that know only a few: {@code <}, {@code >}, {@code &}, and {@code "} when
     * {@code quotes} (an attribute value). The rest of the text is left as it is, so it stays legible; a channel's own
     * markup adds {@link #mentions} where mentions notify.
     */
    public static String entities(String s, boolean quotes) {
        return replace(s, c -> switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '"' -> quotes ? "&quot;" : null;
            default -> null;
        });
    }

    /**
     * Puts a WORD JOINER (U+2060, invisible, no line break) after every {@code @} that could start a mention, so
     * {@code @channel}, {@code @all}, {@code @here}, {@code @everyone}, {@code @room} and {@code @user} notify nobody
     * and still read the same. Why this works in Mattermost (server {@code channels/app/mention_parser_standard.go},
     * {@code StandardMentionParser.ProcessText}): text is split into words with {@code strings.FieldsFunc} on every
     * rune that is not {@code : . - _ @}, a letter or a number; U+2060 is a format character (Cf), so {@code @},
     * U+2060, {@code channel} becomes the two words {@code @} and {@code channel}, and neither is a mention keyword. An
     * {@code @} right after a letter or digit is left alone: it is inside a word (an email address) that no mention
     * parser reads as a mention.
     */
    public static String mentions(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf('@') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c);
            if (c == '@'
                    && (i == 0 || !Character.isLetterOrDigit(s.codePointBefore(i)))
                    && (i + 1 >= s.length() || s.charAt(i + 1) != WORD_JOINER)) {
                out.append(WORD_JOINER);
            }
        }
        return out.toString();
    }

    /** U+2060 WORD JOINER: a format character, invisible, and not a word character to mention parsers. */
    public static final char WORD_JOINER = '\u2060';

    /**
     * CommonMark-style Markdown (Discord, Mattermost, Teams templates): a backslash before each character that could
     * start emphasis, code, a link, a quote or HTML; list markers at the start of a line too. Backslash-escaped
     * punctuation shows as itself.
     */
    public static String markdown(String s) {
        return markdown(s, true);
    }

    /**
     * Markdown for Adaptive Card TextBlocks and FactSets (Teams), whose Markdown subset renders {@code [label](url)} as
     * a link with any label: the same backslash escapes, except for {@code @}, which means nothing there (a Teams
     * mention needs an entity in the card) and which some Teams clients would show with its backslash.
     */
    public static String teamsMarkdown(String s) {
        return markdown(s, false);
    }

    private static String markdown(String s, boolean escapeAt) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '~', '|', '<', '>', '[', ']', '(', ')', '#' ->
                    out.append('\\').append(c);
                case '@' -> out.append(escapeAt ? "\\@" : "@");
                case '-', '+' -> {
                    if (lineStart) {
                        out.append('\\');
                    }
                    out.append(c);
                }
                default -> out.append(c);
            }
            if (c == '\n') {
                lineStart = true;
            } else if (c != ' ' && c != '\t') {
                lineStart = false;
            }
        }
        return out.toString();
    }

    /** Text inside a JSON string literal, also hiding &lt; &gt; &amp; so the JSON is safe to embed anywhere. */
    public static String jsonString(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private interface Replacement {
        String of(char c);
    }

    private static String replace(String s, Replacement replacement) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            String r = replacement.of(s.charAt(i));
            if (r != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (r != null) {
                    out.append(r);
                } else {
                    out.append(s.charAt(i));
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
