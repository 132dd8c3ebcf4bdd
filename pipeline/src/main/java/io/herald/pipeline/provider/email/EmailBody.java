package io.herald.pipeline.provider.email;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.Fact;
import io.herald.core.envelope.Link;

/**
 * The two bodies of a notification email, rendered from structured content: a plain-text part every client can show and
 * an HTML part with the facts as a table. A producer's own HTML wins over the rendered one. All user text is escaped in
 * the HTML part.
 */
public record EmailBody(String text, String html) {

    public static EmailBody render(Content content) {
        return new EmailBody(
                renderText(content),
                content.html() != null && !content.html().isBlank() ? content.html() : renderHtml(content));
    }

    private static String renderText(Content content) {
        StringBuilder out = new StringBuilder();
        if (content.text() != null) {
            out.append(content.text().strip()).append("\n");
        }
        if (!content.facts().isEmpty()) {
            int width = content.facts().stream()
                    .mapToInt(f -> f.label().length())
                    .max()
                    .orElse(0);
            out.append("\n");
            for (Fact fact : content.facts()) {
                out.append(String.format("%-" + width + "s  %s%n", fact.label() + ":", fact.value()));
            }
        }
        if (!content.hints().isEmpty()) {
            out.append("\nHints:\n");
            content.hints().forEach(hint -> out.append("  - ").append(hint).append("\n"));
        }
        if (!content.links().isEmpty()) {
            out.append("\n");
            for (Link link : content.links()) {
                out.append(link.label()).append(": ").append(link.url()).append("\n");
            }
        }
        return out.toString();
    }

    private static String renderHtml(Content content) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
        if (content.title() != null) {
            out.append("<title>").append(escape(content.title())).append("</title>");
        }
        out.append("</head><body style=\"font-family:sans-serif\">\n");
        if (content.title() != null) {
            out.append("<h2>").append(escape(content.title())).append("</h2>\n");
        }
        if (content.text() != null && !content.text().isBlank()) {
            String[] paragraphs = content.text().strip().split("\\R{2,}");
            for (int i = 0; i < paragraphs.length; i++) {
                // The plain part starts with the title (its only heading); here the <h2> already shows it.
                if (i == 0
                        && content.title() != null
                        && paragraphs[0].strip().equals(content.title().strip())) {
                    continue;
                }
                out.append("<p>")
                        .append(escape(paragraphs[i]).replaceAll("\\R", "<br>"))
                        .append("</p>\n");
            }
        }
        if (!content.facts().isEmpty()) {
            out.append("<table style=\"border-collapse:collapse\">\n");
            for (Fact fact : content.facts()) {
                out.append("<tr><th style=\"text-align:left;padding:2px 12px 2px 0\">")
                        .append(escape(fact.label()))
                        .append("</th><td>")
                        .append(escape(fact.value()))
                        .append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        if (!content.hints().isEmpty()) {
            out.append("<h3>Hints</h3>\n<ul>\n");
            content.hints()
                    .forEach(hint -> out.append("<li>").append(escape(hint)).append("</li>\n"));
            out.append("</ul>\n");
        }
        if (!content.links().isEmpty()) {
            out.append("<p>");
            for (Link link : content.links()) {
                out.append("<a href=\"")
                        .append(escape(link.url()))
                        .append("\">")
                        .append(escape(link.label()))
                        .append("</a><br>");
            }
            out.append("</p>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    /** Escapes the five characters that matter in HTML text and attribute values. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
