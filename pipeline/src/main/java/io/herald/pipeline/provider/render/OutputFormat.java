package io.herald.pipeline.provider.render;

import java.util.function.UnaryOperator;

/** The markups templates can produce; each decides how every value put into a template is escaped. */
public enum OutputFormat {
    HTML("html", Escape::html),
    TELEGRAM_HTML("telegram_html", Escape::telegramHtml),
    JSON("json_string", Escape::jsonString),
    SLACK_MRKDWN("slack_mrkdwn", Escape::slack),
    MARKDOWN("markdown", Escape::markdown),
    MATTERMOST_MARKDOWN("mattermost_markdown", Escape::mattermost);

    private final String strategy;
    private final UnaryOperator<String> escaper;

    OutputFormat(String strategy, UnaryOperator<String> escaper) {
        this.strategy = strategy;
        this.escaper = escaper;
    }

    /** The name of the template engine's escaping strategy, usable in {@code {% autoescape "..." %}}. */
    public String strategy() {
        return strategy;
    }

    public String escape(String s) {
        return escaper.apply(s);
    }
}
