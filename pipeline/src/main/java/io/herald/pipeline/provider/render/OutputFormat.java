package io.herald.pipeline.provider.render;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A markup templates can produce: it decides how every value put into a template is escaped. The markups several
 * channels share are here; a markup only one service speaks is declared in that provider's package.
 *
 * @param strategy the name of the template engine's escaping strategy, usable in {@code {% autoescape "..." %}}
 * @param escaper escapes one value for the markup
 */
public record OutputFormat(String strategy, UnaryOperator<String> escaper) {

    public static final OutputFormat HTML = new OutputFormat("html", Escape::html);
    public static final OutputFormat JSON = new OutputFormat("json_string", Escape::jsonString);
    public static final OutputFormat MARKDOWN = new OutputFormat("markdown", Escape::markdown);

    public OutputFormat {
        Objects.requireNonNull(strategy);
        Objects.requireNonNull(escaper);
    }

    public String escape(String s) {
        return escaper.apply(s);
    }
}
