package io.herald.pipeline.provider.render;

import io.herald.core.envelope.Envelope;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.core.DisallowExtensionCustomizerBuilder;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An operator's template for one channel, in Pebble syntax, that replaces the provider's native rendering of the
 * message body. Every {@code {{ value }}} is escaped for the channel's {@link OutputFormat} unless the template says
 * {@code | raw}; the escaping is the engine's default, so forgetting it is impossible. Compiled once, when the provider
 * is built, so a broken template stops Herald at start rather than failing every message.
 */
public final class ChannelTemplate {

    /** Pebble's tags that load another template by name. */
    static final List<String> LOADING_TAGS = List.of("include", "embed", "import", "from", "extends");

    private final PebbleTemplate template;
    private final OutputFormat format;

    private ChannelTemplate(PebbleTemplate template, OutputFormat format) {
        this.template = template;
        this.format = format;
    }

    /**
     * @param file the template file, or empty / blank for none
     * @return the compiled template, or empty when no file is configured
     * @throws IllegalArgumentException naming the file when it cannot be read or does not compile
     */
    public static Optional<ChannelTemplate> load(String file, OutputFormat format) {
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(compile(Files.readString(Path.of(file)), format));
        } catch (IOException e) {
            throw new IllegalArgumentException("template " + file + " cannot be read: " + e.getMessage(), e);
        } catch (PebbleException e) {
            throw new IllegalArgumentException("template " + file + " does not compile: " + e.getMessage(), e);
        }
    }

    /** Compiles template text; for tests and for templates that do not live in files. */
    public static ChannelTemplate compile(String source, OutputFormat format) {
        PebbleEngine engine = new PebbleEngine.Builder()
                // Only the template's own text is ever loaded (CVE-2025-1686 is include reading any
                // file through Pebble's default file loader): a StringLoader, and no tag that loads
                // another template at all.
                .loader(new StringLoader())
                .registerExtensionCustomizer(new DisallowExtensionCustomizerBuilder()
                        .disallowedTokenParserTags(LOADING_TAGS)
                        .build())
                .autoEscaping(true)
                .addEscapingStrategy(format.strategy(), format::escape)
                .defaultEscapingStrategy(format.strategy())
                .newLineTrimming(false)
                .cacheActive(false)
                .build();
        return new ChannelTemplate(engine.getTemplate(source), format);
    }

    public OutputFormat format() {
        return format;
    }

    public String render(Envelope envelope) {
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, TemplateModel.of(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
