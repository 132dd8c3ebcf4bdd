package io.herald.pipeline.provider.render;

/**
 * Escaping of user text for each markup a channel speaks. User text (job names, titles, facts) is
 * never trusted: a job may be called {@code <script>alert(1)</script>} or {@code *everyone*}. Each
 * function escapes only what its markup needs, so the text stays legible where it is shown.
 */
public final class Escape {

    private Escape() {
    }

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

    /** Telegram's HTML parse mode knows only &amp;lt; &amp;gt; &amp;amp; &amp;quot; among named entities. */
    public static String telegramHtml(String s) {
        return replace(s, c -> switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '"' -> "&quot;";
            default -> null;
        });
    }

    /** Slack mrkdwn: only &amp;, &lt; and &gt; are control characters (links, mentions). */
    public static String slack(String s) {
        return replace(s, c -> switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            default -> null;
        });
    }

    /**
     * CommonMark-style Markdown (Discord, Mattermost, Teams templates): a backslash before each
     * character that could start emphasis, code, a link, a quote or HTML; list markers at the start
     * of a line too. Backslash-escaped punctuation shows as itself.
     */
    public static String markdown(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '~', '|', '<', '>', '[', ']', '(', ')', '#', '@' -> out.append('\\').append(c);
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
