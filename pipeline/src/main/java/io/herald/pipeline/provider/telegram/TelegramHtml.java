package io.herald.pipeline.provider.telegram;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;
import io.herald.pipeline.provider.render.Escape;
import io.herald.pipeline.provider.render.OutputFormat;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A notification in Telegram's HTML parse mode, and the cut that keeps it within Telegram's 4096 characters. Telegram
 * counts characters after parsing (tags take none, an entity takes one), in UTF-16 code units, so the cut walks the
 * markup, never splits a tag, an entity or a surrogate pair, closes the tags left open and says visibly that something
 * was cut.
 */
public final class TelegramHtml {

    /** Telegram's limit for a message's text, after entities are parsed. */
    public static final int MAX_VISIBLE = 4096;

    static final String MARKER = "\n… (truncated)";

    /** Templates of Telegram messages: every value escaped as {@link #escape} does. */
    public static final OutputFormat FORMAT = new OutputFormat("telegram_html", TelegramHtml::escape);

    private TelegramHtml() {}

    /**
     * Telegram's HTML parse mode knows only &amp;lt; &amp;gt; &amp;amp; &amp;quot; among named entities. An
     * {@code @username} in a group notifies that user, so mentions are broken up ({@link Escape#mentions}).
     */
    public static String escape(String s) {
        return Escape.mentions(escapeAttribute(s));
    }

    /** An attribute value (a link's URL) in Telegram's HTML: the entities only, the text left as it is. */
    public static String escapeAttribute(String s) {
        return Escape.entities(s, true);
    }

    public static String render(Content content) {
        StringBuilder out = new StringBuilder();
        if (content.title() != null && !content.title().isBlank()) {
            out.append("<b>").append(escape(content.title().strip())).append("</b>\n");
        }
        if (content.text() != null && !content.text().isBlank()) {
            out.append("\n").append(escape(content.text().strip())).append("\n");
        }
        if (!content.facts().isEmpty()) {
            out.append("\n");
            for (Fact fact : content.facts()) {
                out.append("<b>")
                        .append(escape(fact.label()))
                        .append(":</b> ")
                        .append(escape(fact.value()))
                        .append("\n");
            }
        }
        if (!content.hints().isEmpty()) {
            out.append("\n<i>Hints</i>\n");
            content.hints().forEach(h -> out.append("• ").append(escape(h)).append("\n"));
        }
        if (!content.links().isEmpty()) {
            out.append("\n");
            for (Link link : content.links()) {
                if (isWebLink(link.url())) {
                    out.append("<a href=\"")
                            .append(escapeAttribute(link.url()))
                            .append("\">")
                            .append(escape(link.label()))
                            .append("</a>\n");
                } else {
                    out.append(escape(link.label() + ": " + link.url())).append("\n");
                }
            }
        }
        return out.toString().strip();
    }

    static boolean isWebLink(String url) {
        String u = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("https://") || u.startsWith("http://");
    }

    /** Characters Telegram counts in this HTML: tags none, an entity one, text its UTF-16 length. */
    public static int visibleLength(String html) {
        int visible = 0;
        for (int i = 0; i < html.length(); ) {
            int next = skip(html, i);
            visible += visibleUnits(html, i, next);
            i = next;
        }
        return visible;
    }

    /** The HTML itself when it fits in {@code max} visible characters; otherwise cut, closed and marked. */
    public static String truncate(String html, int max) {
        if (visibleLength(html) <= max) {
            return html;
        }
        int budget = max - MARKER.length();
        StringBuilder out = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int visible = 0;
        for (int i = 0; i < html.length(); ) {
            int next = skip(html, i);
            int units = visibleUnits(html, i, next);
            if (units > 0 && visible + units > budget) {
                break;
            }
            String piece = html.substring(i, next);
            if (piece.startsWith("<")) {
                track(piece, open);
            }
            out.append(piece);
            visible += units;
            i = next;
        }
        while (!open.isEmpty()) {
            out.append("</").append(open.pop()).append(">");
        }
        return out.append(escape(MARKER)).toString();
    }

    /** End of the unit starting at i: a whole tag, a whole entity, or one code point. */
    private static int skip(String html, int i) {
        char c = html.charAt(i);
        if (c == '<') {
            int end = html.indexOf('>', i);
            return end < 0 ? html.length() : end + 1;
        }
        if (c == '&') {
            int end = html.indexOf(';', i);
            if (end > 0 && end - i <= 10) {
                return end + 1;
            }
        }
        return i + Character.charCount(html.codePointAt(i));
    }

    private static int visibleUnits(String html, int from, int to) {
        char c = html.charAt(from);
        if (c == '<') {
            return 0;
        }
        if (c == '&' && to - from > 1) {
            return 1;
        }
        return to - from;
    }

    private static void track(String tag, Deque<String> open) {
        String body = tag.substring(1, tag.length() - 1).strip();
        if (body.startsWith("/")) {
            if (!open.isEmpty()) {
                open.pop();
            }
            return;
        }
        if (body.endsWith("/")) {
            return;
        }
        int space = body.indexOf(' ');
        open.push((space < 0 ? body : body.substring(0, space)).toLowerCase(Locale.ROOT));
    }
}
