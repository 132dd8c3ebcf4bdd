package io.herald.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds {@code providers:} block by block, each to the record its provider's descriptor declares; a block left out gets
 * the provider's defaults. A problem inside a block keeps its path ({@code providers.telegram.timeout}), so the loader
 * can name the key and its variable.
 */
final class ProviderBlocksDeserializer extends StdDeserializer<HeraldConfig.ProviderBlocks> {

    ProviderBlocksDeserializer() {
        super(HeraldConfig.ProviderBlocks.class);
    }

    @Override
    public HeraldConfig.ProviderBlocks deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
        JsonNode tree = context.readTree(parser);
        ProviderRegistry registry = ProviderRegistry.installed();
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (registry.find(name).isEmpty()) {
                throw UnrecognizedPropertyException.from(
                        parser, HeraldConfig.ProviderBlocks.class, name, new ArrayList<>(registry.names()));
            }
        }
        Map<String, ProviderSettings> blocks = new LinkedHashMap<>();
        for (ProviderDescriptor<?> descriptor : registry.all()) {
            JsonNode block = tree.get(descriptor.name());
            blocks.put(
                    descriptor.name(),
                    block == null || block.isNull() ? descriptor.defaults() : bind(block, descriptor, context));
        }
        return new HeraldConfig.ProviderBlocks(blocks);
    }

    private static ProviderSettings bind(
            JsonNode block, ProviderDescriptor<?> descriptor, DeserializationContext context) throws IOException {
        try (JsonParser blockParser = block.traverse(context.getParser().getCodec())) {
            blockParser.nextToken();
            return context.readValue(blockParser, descriptor.configType());
        } catch (JsonMappingException e) {
            throw JsonMappingException.wrapWithPath(e, HeraldConfig.ProviderBlocks.class, descriptor.name());
        }
    }
}
