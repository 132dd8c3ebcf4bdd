package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.control.ControlStore;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import io.herald.core.status.StatusTable;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The pause switches under /v1/admin/pauses, against a real DynamoDB engine, for admin keys only. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PausesApiTest {

    private static final String ADMIN_TOKEN = "ops-" + UUID.randomUUID();
    private static final String SENDER_TOKEN = "ci-" + UUID.randomUUID();

    private ApiTestbed bed;
    private HeraldApi api;
    private HeraldApi openApi;
    private ControlStore store;
    private int tables;

    private static ApiKeyEntry key(String text) {
        return ((ApiKeyEntry.Parsed.Valid) ApiKeyEntry.parse(text)).entry();
    }

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
    }

    @BeforeEach
    void freshTable() {
        // A table per test, so one test's pauses cannot satisfy another's assertions.
        String table = "pauses-" + (++tables);
        StatusTable.createIfMissing(bed.dynamoClient, table);
        store = new DynamoControlStore(bed.dynamoClient, table, Duration.ofSeconds(30), Clock.systemUTC());
        api = bed.start(b -> b.controlStore(store)
                .access(ApiAccess.keys(List.of(
                        key("name=ops sha256=" + ApiKeyEntry.hash(ADMIN_TOKEN) + " senders=* rate=1000/s role=admin"),
                        key("name=ci sha256=" + ApiKeyEntry.hash(SENDER_TOKEN) + " senders=* rate=1000/s")))));
        openApi = bed.start(b -> b.controlStore(store));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private static String[] as(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private ApiTestbed.Answer delete(HeraldApi on, String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(ApiTestbed.uri(on, path)).DELETE();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return bed.send(request.build());
    }

    @Test
    void anAdminPausesListsAndResumesAndTheStoreHoldsIt() throws Exception {
        ApiTestbed.Answer paused =
                bed.post(api, "/v1/admin/pauses", "{\"scope\":\"provider\",\"name\":\"sendgrid\"}", as(ADMIN_TOKEN));

        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(paused.json().get("pauses")).hasSize(1);
        assertThat(paused.json().get("pauses").get(0).get("scope").asText()).isEqualTo("provider");
        assertThat(paused.json().get("pauses").get(0).get("name").asText()).isEqualTo("sendgrid");
        assertThat(paused.json().get("pauses").get(0).get("by").asText()).isEqualTo("ops");
        assertThat(store.pauses()).extracting(Pause::scope).containsExactly(PauseScope.provider("sendgrid"));

        bed.post(api, "/v1/admin/pauses", "{\"scope\":\"channel\",\"name\":\"email\"}", as(ADMIN_TOKEN));
        ApiTestbed.Answer listed = bed.get(api, "/v1/admin/pauses", as(ADMIN_TOKEN));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("pauses")).hasSize(2);

        ApiTestbed.Answer resumed = delete(api, "/v1/admin/pauses/provider/sendgrid", as(ADMIN_TOKEN));
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        assertThat(resumed.json().get("pauses")).hasSize(1);
        assertThat(store.pauses()).extracting(Pause::scope).containsExactly(PauseScope.channel("email"));

        ApiTestbed.Answer again = delete(api, "/v1/admin/pauses/provider/sendgrid", as(ADMIN_TOKEN));
        assertThat(again.status())
                .as("resuming what is not paused does nothing")
                .isEqualTo(200);
    }

    @Test
    void aPauseCarriesItsReasonShownWithWhoAndSince() throws Exception {
        ApiTestbed.Answer paused = bed.post(
                api,
                "/v1/admin/pauses",
                "{\"scope\":\"provider\",\"name\":\"ses\",\"reason\":\" SES sandbox limit, ticket 4711 \"}",
                as(ADMIN_TOKEN));
        ApiTestbed.Answer without =
                bed.post(api, "/v1/admin/pauses", "{\"scope\":\"channel\",\"name\":\"slack\"}", as(ADMIN_TOKEN));

        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(without.status()).as(without.text()).isEqualTo(200);
        ApiTestbed.Answer listed = bed.get(api, "/v1/admin/pauses", as(ADMIN_TOKEN));
        assertThat(listed.json().get("pauses"))
                .anySatisfy(p -> {
                    assertThat(p.get("name").asText()).isEqualTo("ses");
                    assertThat(p.get("reason").asText()).isEqualTo("SES sandbox limit, ticket 4711");
                    assertThat(p.get("by").asText()).isEqualTo("ops");
                    assertThat(p.get("since").asText()).isNotBlank();
                })
                .anySatisfy(p -> {
                    assertThat(p.get("name").asText()).isEqualTo("slack");
                    assertThat(p.get("reason").asText()).isEmpty();
                });
    }

    @Test
    void aReasonThatIsNotOneShortLineIs400AndPausesNothing() throws Exception {
        ApiTestbed.Answer number = bed.post(
                api, "/v1/admin/pauses", "{\"scope\":\"channel\",\"name\":\"email\",\"reason\":42}", as(ADMIN_TOKEN));
        ApiTestbed.Answer tooLong = bed.post(
                api,
                "/v1/admin/pauses",
                "{\"scope\":\"channel\",\"name\":\"email\",\"reason\":\"" + "x".repeat(Pause.MAX_REASON_CHARS + 1)
                        + "\"}",
                as(ADMIN_TOKEN));
        ApiTestbed.Answer twoLines = bed.post(
                api,
                "/v1/admin/pauses",
                "{\"scope\":\"channel\",\"name\":\"email\",\"reason\":\"fine\\nINFO forged line\"}",
                as(ADMIN_TOKEN));

        assertThat(number.status()).isEqualTo(400);
        assertThat(number.errors()).containsEntry("reason", "must be a string");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errors().get("reason")).contains("at most " + Pause.MAX_REASON_CHARS);
        assertThat(twoLines.status()).isEqualTo(400);
        assertThat(twoLines.errors()).containsEntry("reason", "must be one line without control characters");
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void aKeyWithoutTheAdminRoleIs403AndNoKeyIs401() throws Exception {
        ApiTestbed.Answer sender =
                bed.post(api, "/v1/admin/pauses", "{\"scope\":\"channel\",\"name\":\"email\"}", as(SENDER_TOKEN));
        ApiTestbed.Answer nobody = bed.get(api, "/v1/admin/pauses");
        ApiTestbed.Answer senderDeletes = delete(api, "/v1/admin/pauses/channel/email", as(SENDER_TOKEN));

        assertThat(sender.status()).isEqualTo(403);
        assertThat(sender.errors().get("base")).contains("'ci'").contains("role=admin");
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(senderDeletes.status()).isEqualTo(403);
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void unknownNamesAndScopesAre400NamingTheField() throws Exception {
        ApiTestbed.Answer provider =
                bed.post(api, "/v1/admin/pauses", "{\"scope\":\"provider\",\"name\":\"postmark\"}", as(ADMIN_TOKEN));
        ApiTestbed.Answer scope =
                bed.post(api, "/v1/admin/pauses", "{\"scope\":\"queue\",\"name\":\"herald-1\"}", as(ADMIN_TOKEN));
        ApiTestbed.Answer missing = bed.post(api, "/v1/admin/pauses", "{}", as(ADMIN_TOKEN));
        ApiTestbed.Answer notJson = bed.post(api, "/v1/admin/pauses", "pause email", as(ADMIN_TOKEN));
        ApiTestbed.Answer channel = delete(api, "/v1/admin/pauses/channel/pager", as(ADMIN_TOKEN));

        assertThat(provider.status()).isEqualTo(400);
        assertThat(provider.errors()).containsOnlyKeys("name");
        assertThat(provider.errors().get("name"))
                .contains("unknown provider 'postmark'")
                .contains("sendgrid");
        assertThat(scope.status()).isEqualTo(400);
        assertThat(scope.errors()).containsEntry("scope", "must be channel or provider");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errors()).containsOnlyKeys("scope", "name");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errors()).containsKey("base");
        assertThat(channel.status()).isEqualTo(400);
        assertThat(channel.errors().get("name")).contains("unknown channel 'pager'");
        assertThat(store.pauses()).isEmpty();
    }

    @Test
    void anOpenApiLetsAnyonePauseAsAnonymous() throws Exception {
        ApiTestbed.Answer paused = bed.post(openApi, "/v1/admin/pauses", "{\"scope\":\"channel\",\"name\":\"slack\"}");

        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(store.pauses())
                .singleElement()
                .satisfies(p -> assertThat(p.by()).isEqualTo("anonymous"));
    }

    @Test
    void withoutAControlStoreTheEndpointsSayPausesAreUnavailable() throws Exception {
        HeraldApi bare = bed.start(b -> b);

        ApiTestbed.Answer answer = bed.get(bare, "/v1/admin/pauses");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errors().get("base")).contains("Pauses are not available");
    }

    @Test
    void openApiDocumentsThePauseEndpoints() throws Exception {
        ApiTestbed.Answer spec = bed.get(api, "/openapi.json");

        assertThat(spec.json().get("paths").has("/v1/admin/pauses")).isTrue();
        assertThat(spec.json().get("paths").get("/v1/admin/pauses").has("get")).isTrue();
        assertThat(spec.json().get("paths").get("/v1/admin/pauses").has("post")).isTrue();
        assertThat(spec.json()
                        .get("paths")
                        .get("/v1/admin/pauses/{scope}/{name}")
                        .has("delete"))
                .isTrue();
    }
}
