package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.control.ProviderHealth;
import io.herald.core.control.WorkerState;
import io.herald.core.preferences.DynamoPreferencesStore;
import io.herald.core.preferences.EventKind;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.status.StatusTable;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Slurm users' preferences under /v1/users/{user}/preferences, for admin keys only, against a real DynamoDB engine;
 * every answer is checked against openapi.json by the testbed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreferencesApiTest {

    private static final String ADMIN_TOKEN = "ops-" + UUID.randomUUID();
    private static final String SENDER_TOKEN = "ci-" + UUID.randomUUID();
    private static final String ALICE = """
            {"receivers": {"work": "mailto:alice@uni.org", "phone": "telegram:123456"},
             "events": {"FAIL": {"receivers": ["work", "phone"]}, "END": {"receivers": ["work"], "digest": "hourly"}},
             "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "Europe/Berlin", "breakThrough": ["FAIL"]},
             "mute": {"partitions": ["debug"]}}""";

    private ApiTestbed bed;
    private HeraldApi api;
    private PreferencesStore store;
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
        String table = "prefs-" + (++tables);
        StatusTable.createIfMissing(bed.dynamoClient, table);
        store = new DynamoPreferencesStore(bed.dynamoClient, table);
        api = bed.start(b -> b.preferences(store, Set.of("email", "telegram"))
                .access(ApiAccess.keys(List.of(
                        key("name=ops sha256=" + ApiKeyEntry.hash(ADMIN_TOKEN) + " senders=* rate=1000/s role=admin"),
                        key("name=ci sha256=" + ApiKeyEntry.hash(SENDER_TOKEN) + " senders=* rate=1000/s")))));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private static String[] as(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private ApiTestbed.Answer put(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(ApiTestbed.uri(api, path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return bed.send(request.build());
    }

    @Test
    void anAdminSavesAndReadsBackAUsersPreferencesAndTheForwardersStoreHoldsThem() throws Exception {
        ApiTestbed.Answer saved = put("/v1/users/alice/preferences", ALICE, as(ADMIN_TOKEN));

        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(saved.json().get("user").asText()).isEqualTo("alice");
        assertThat(saved.json().get("updatedBy").asText()).isEqualTo("ops");
        assertThat(store.find("alice")).hasValueSatisfying(p -> {
            assertThat(p.receiversFor(EventKind.END))
                    .singleElement()
                    .satisfies(r -> assertThat(r.target()).isEqualTo("alice@uni.org"));
            assertThat(p.quietHours().breakThrough()).containsExactly(EventKind.FAIL);
        });

        ApiTestbed.Answer shown = bed.get(api, "/v1/users/alice/preferences", as(ADMIN_TOKEN));
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).isEqualTo(saved.json());

        ApiTestbed.Answer again = put("/v1/users/alice/preferences", shown.text(), as(ADMIN_TOKEN));
        assertThat(again.status())
                .as("what GET shows can be PUT back: " + again.text())
                .isEqualTo(200);
    }

    @Test
    void aChannelARunningPipelineHasAProviderForIsAcceptedThoughThisConfigurationHasNone() throws Exception {
        String table = "prefs-health-" + (++tables);
        StatusTable.createIfMissing(bed.dynamoClient, table);
        DynamoControlStore control =
                new DynamoControlStore(bed.dynamoClient, table, Duration.ofSeconds(30), Clock.systemUTC());
        control.publishHealth(new ProviderHealth(
                "pipeline-1", "slack", "slack", WorkerState.HEALTHY, 0, 0, 0, Instant.now(), null, null));
        PreferencesStore prefs = new DynamoPreferencesStore(bed.dynamoClient, table);
        HeraldApi withPipeline =
                bed.start(b -> b.preferences(prefs, Set.of("email")).controlStore(control));

        ApiTestbed.Answer saved =
                bed.send(HttpRequest.newBuilder(ApiTestbed.uri(withPipeline, "/v1/users/alice/preferences"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"receivers\": {\"chat\": \"slack:C0123\"}}"))
                        .build());

        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(prefs.find("alice")).isPresent();
    }

    @Test
    void aUserWithoutPreferencesIs404SayingWhereTheirMailGoes() throws Exception {
        ApiTestbed.Answer none = bed.get(api, "/v1/users/bob/preferences", as(ADMIN_TOKEN));

        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errors().get("base")).contains("bob has no preferences");
    }

    @Test
    void badFieldsAre400NamingEachPathAndNothingIsSaved() throws Exception {
        ApiTestbed.Answer bad = put("/v1/users/alice/preferences", """
                {"receivers": {"work": "mailto:alice@uni.org", "chat": "slack:C0123"},
                 "events": {"END": {"receivers": ["home"]}},
                 "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "Nowhere/Land"}}""", as(ADMIN_TOKEN));

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errors()).containsOnlyKeys("receivers.chat", "events.END.receivers[0]", "quietHours.timeZone");
        assertThat(bad.errors().get("receivers.chat"))
                .as("a channel without a provider, with the reason")
                .contains("channel slack has no provider");
        assertThat(store.find("alice")).isEmpty();
    }

    @Test
    void aUserNameThatIsNoUnixNameOrDiffersFromTheBodyIs400() throws Exception {
        ApiTestbed.Answer badName = bed.get(api, "/v1/users/a,b/preferences", as(ADMIN_TOKEN));
        ApiTestbed.Answer other = put(
                "/v1/users/alice/preferences",
                "{\"user\": \"bob\", \"receivers\": {\"w\": \"mailto:a@b.org\"}}",
                as(ADMIN_TOKEN));
        ApiTestbed.Answer notJson = put("/v1/users/alice/preferences", "quiet please", as(ADMIN_TOKEN));

        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.errors()).containsKey("user");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.errors().get("user")).contains("another user");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errors()).containsKey("base");
        assertThat(store.find("alice")).isEmpty();
        assertThat(store.find("bob")).isEmpty();
    }

    @Test
    void aKeyWithoutTheAdminRoleCanNeitherReadNorSetAnyonesPreferences() throws Exception {
        assertThat(put("/v1/users/alice/preferences", ALICE, as(ADMIN_TOKEN)).status())
                .isEqualTo(200);

        ApiTestbed.Answer read = bed.get(api, "/v1/users/alice/preferences", as(SENDER_TOKEN));
        ApiTestbed.Answer write =
                put("/v1/users/alice/preferences", "{\"receivers\": {\"x\": \"mailto:x@evil.org\"}}", as(SENDER_TOKEN));
        ApiTestbed.Answer nobody = bed.get(api, "/v1/users/alice/preferences");

        assertThat(read.status()).isEqualTo(403);
        assertThat(write.status()).isEqualTo(403);
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(store.find("alice"))
                .hasValueSatisfying(p -> assertThat(p.receivers()).containsOnlyKeys("work", "phone"));
    }

    @Test
    void withoutAStoreTheEndpointsSayPreferencesAreUnavailable() throws Exception {
        HeraldApi bare = bed.start(b -> b);

        ApiTestbed.Answer answer = bed.get(bare, "/v1/users/alice/preferences");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errors().get("base")).contains("no status table");
    }
}
