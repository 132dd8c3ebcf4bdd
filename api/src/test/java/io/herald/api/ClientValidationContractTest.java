package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The web page validates its form before sending, with rules that mirror the server's. The cases in
 * web-client/src/validation-cases.json are checked against the page (Vitest) and here against the API itself, so a rule
 * changed on one side only fails a build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientValidationContractTest {

    private static final Path CASES = Path.of("..", "web-client", "src", "validation-cases.json");

    private ApiTestbed bed;
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = bed.start(b -> b);
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @TestFactory
    List<DynamicTest> theServerRefusesExactlyTheFieldsThePageRefuses() throws Exception {
        JsonNode cases = bed.mapper.readTree(Files.readString(CASES)).get("cases");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                ObjectNode body = (ObjectNode) c.get("body").deepCopy();
                body.properties().forEach(field -> {
                    if ("NAME257".equals(field.getValue().asText())) {
                        field.setValue(body.textNode("n".repeat(257)));
                    }
                });
                // The page leaves empty optional fields out; so does this request.
                List<String> empty = new ArrayList<>();
                body.properties().forEach(f -> {
                    if (f.getValue().asText().isEmpty()
                            && !List.of("to", "text").contains(f.getKey())) {
                        empty.add(f.getKey());
                    }
                });
                body.remove(empty);
                TreeSet<String> expected = new TreeSet<>();
                c.get("errors").forEach(e -> expected.add(e.asText()));

                ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", bed.mapper.writeValueAsString(body));

                if (expected.isEmpty()) {
                    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
                } else {
                    assertThat(answer.status()).as(answer.text()).isEqualTo(422);
                    assertThat(new TreeSet<>(answer.errors().keySet())).isEqualTo(expected);
                }
            }));
        }
        return tests;
    }
}
