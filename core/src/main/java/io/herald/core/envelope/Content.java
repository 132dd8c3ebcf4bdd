package io.herald.core.envelope;

import java.util.List;

/**
 * What a notification says, kept structured so every channel renders it natively (an email's facts table, a Teams
 * FactSet, Telegram HTML) instead of re-parsing one pre-rendered string.
 *
 * @param title subject line / card title
 * @param text plain-text body; always present so every channel has something to show
 * @param html optional HTML body supplied by the producer (email channels prefer it)
 * @param facts ordered label/value pairs, e.g. "Partition" → "compute"
 * @param hints advice for the reader, e.g. "memory was over-requested by 80 %"
 * @param links related links
 */
public record Content(String title, String text, String html, List<Fact> facts, List<String> hints, List<Link> links) {

    public Content {
        facts = facts == null ? List.of() : List.copyOf(facts);
        hints = hints == null ? List.of() : List.copyOf(hints);
        links = links == null ? List.of() : List.copyOf(links);
    }

    public static Content of(String title, String text) {
        return new Content(title, text, null, List.of(), List.of(), List.of());
    }

    public Content withHtml(String newHtml) {
        return new Content(title, text, newHtml, facts, hints, links);
    }

    public Content withFacts(List<Fact> newFacts) {
        return new Content(title, text, html, newFacts, hints, links);
    }

    public Content withHints(List<String> newHints) {
        return new Content(title, text, html, facts, newHints, links);
    }

    public Content withLinks(List<Link> newLinks) {
        return new Content(title, text, html, facts, hints, newLinks);
    }
}
