package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real answers of the API against what its {@code openapi.json} promises: the operation is documented, the
 * status too (any error status at least has the shared error shape), and a JSON body matches the documented schema
 * (JSON Schema 2020-12 with OpenAPI 3.1's vocabulary, by the networknt validator). Every answer the API tests read
 * through {@link ApiTestbed} goes through it.
 */
final class OpenApiContract {

    private static final String DOCUMENT = "openapi.json";
    private static final String ERRORS = "#/components/schemas/Errors";

    private final JsonNode document;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    /** Path templates, the literal ones first so /dead-letters/redrive is not taken for /dead-letters/{id}. */
    private final List<Map.Entry<String, Pattern>> templates = new ArrayList<>();

    OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/" + DOCUMENT)) {
            document = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Iterator<String> paths = document.get("paths").fieldNames();
        List<String> names = new ArrayList<>();
        paths.forEachRemaining(names::add);
        names.sort((a, b) -> Boolean.compare(a.contains("{"), b.contains("{")));
        for (String path : names) {
            String regex = Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            templates.add(Map.entry(path, Pattern.compile(regex)));
        }
    }

    /** @return what does not match the document, empty when the answer is as documented */
    List<String> problems(String method, String path, int status, String contentType, JsonNode body) {
        String what = method + " " + path + " answered " + status;
        Optional<String> template = templates.stream()
                .filter(t -> t.getValue().matcher(path).matches())
                .map(Map.Entry::getKey)
                .findFirst();
        JsonNode operation = template.map(t -> document.get("paths").get(t).get(method.toLowerCase(Locale.ROOT)))
                .orElse(null);
        String pointer;
        if (operation == null || operation.isNull()) {
            if (status < 400) {
                return List.of(what + ": no such operation in " + DOCUMENT);
            }
            pointer = ERRORS;
        } else {
            JsonNode responses = operation.get("responses");
            String range = status / 100 + "XX";
            String code = responses.has(Integer.toString(status))
                    ? Integer.toString(status)
                    : responses.has(range) ? range : responses.has("default") ? "default" : null;
            if (code == null) {
                if (status < 400) {
                    return List.of(what + ": status not documented in " + DOCUMENT);
                }
                pointer = ERRORS;
            } else if (responses
                    .get(code)
                    .at("/content/application~1json/schema")
                    .isMissingNode()) {
                return List.of();
            } else {
                pointer = "#/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                        + code + "/content/application~1json/schema";
            }
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            return List.of(what + " with Content-Type " + contentType + ", documented as JSON");
        }
        if (body == null) {
            return List.of(what + " with a body that is not JSON");
        }
        JsonSchema schema = schemas.computeIfAbsent(
                pointer, p -> factory.getSchema(SchemaLocation.of("classpath:" + DOCUMENT + p)));
        Set<ValidationMessage> messages = schema.validate(body);
        return messages.stream().map(m -> what + ": " + m.getMessage()).toList();
    }

    /** A path as a JSON pointer token inside a URI fragment. */
    private static String escape(String path) {
        String token = path.replace("~", "~0").replace("/", "~1");
        return URLEncoder.encode(token, StandardCharsets.UTF_8).replace("%7E", "~");
    }
}
