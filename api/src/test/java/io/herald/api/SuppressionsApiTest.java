package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.feedback.DynamoSuppressions;
import io.herald.core.feedback.Suppression;
import io.herald.core.status.StatusTable;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The suppression list under /v1/admin/suppressions, against a real DynamoDB engine, for admin keys only. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuppressionsApiTest {

    private static final String ADMIN_TOKEN = "ops-" + UUID.randomUUID();
    private static final String SENDER_TOKEN = "ci-" + UUID.randomUUID();

    private ApiTestbed bed;
    private HeraldApi api;
    private DynamoSuppressions list;
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
        String table = "suppressions-" + (++tables);
        StatusTable.createIfMissing(bed.dynamoClient, table);
        list = new DynamoSuppressions(bed.dynamoClient, table);
        api = bed.start(b -> b.suppressions(list)
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

    private ApiTestbed.Answer delete(String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(ApiTestbed.uri(api, path)).DELETE();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return bed.send(request.build());
    }

    @Test
    void anAdminAddsListsAndRemovesAnAddressAndTheListHoldsIt() throws Exception {
        ApiTestbed.Answer added = bed.post(
                api,
                "/v1/admin/suppressions",
                "{\"address\":\" Bob@Example.org\",\"reason\":\"asked by phone, ticket 4711\"}",
                as(ADMIN_TOKEN));

        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(added.json().get("address").asText()).isEqualTo("bob@example.org");
        assertThat(added.json().get("category").asText()).isEqualTo("*");
        assertThat(added.json().get("source").asText()).isEqualTo("admin:ops");
        assertThat(list.find("bob@example.org", "news"))
                .map(Suppression::reason)
                .contains("asked by phone, ticket 4711");

        list.add(new Suppression("carol@example.org", "news", "unsubscribed", "unsubscribe", Instant.now()));
        ApiTestbed.Answer all = bed.get(api, "/v1/admin/suppressions", as(ADMIN_TOKEN));
        ApiTestbed.Answer one = bed.get(api, "/v1/admin/suppressions?address=BOB@example.org", as(ADMIN_TOKEN));
        assertThat(all.status()).as(all.text()).isEqualTo(200);
        assertThat(all.json().get("suppressions")).hasSize(2);
        assertThat(one.json().get("suppressions")).hasSize(1);
        assertThat(one.json().get("suppressions").get(0).get("address").asText())
                .isEqualTo("bob@example.org");

        ApiTestbed.Answer removed = delete("/v1/admin/suppressions/Bob@example.org", as(ADMIN_TOKEN));
        assertThat(removed.status()).as(removed.text()).isEqualTo(204);
        assertThat(list.find("bob@example.org", null)).isEmpty();

        ApiTestbed.Answer again = delete("/v1/admin/suppressions/bob@example.org", as(ADMIN_TOKEN));
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text()).contains("bob@example.org");
    }

    @Test
    void aBadAddressOrAMissingReasonIsRefusedNamingTheFieldAndAddsNothing() throws Exception {
        ApiTestbed.Answer bad = bed.post(
                api, "/v1/admin/suppressions", "{\"address\":\"not-an-address\",\"reason\":\"x\"}", as(ADMIN_TOKEN));
        ApiTestbed.Answer noReason =
                bed.post(api, "/v1/admin/suppressions", "{\"address\":\"dan@example.org\"}", as(ADMIN_TOKEN));
        ApiTestbed.Answer twoLines = bed.post(
                api,
                "/v1/admin/suppressions",
                "{\"address\":\"dan@example.org\",\"reason\":\"one\\ntwo\"}",
                as(ADMIN_TOKEN));
        ApiTestbed.Answer notJson = bed.post(api, "/v1/admin/suppressions", "[1]", as(ADMIN_TOKEN));
        ApiTestbed.Answer badQuery = bed.get(api, "/v1/admin/suppressions?limit=0", as(ADMIN_TOKEN));
        ApiTestbed.Answer badPath = delete("/v1/admin/suppressions/nobody", as(ADMIN_TOKEN));

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get("address").asText()).contains("'@'");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("errors").get("reason").asText()).isEqualTo("is required");
        assertThat(twoLines.status()).isEqualTo(400);
        assertThat(twoLines.json().get("errors").has("reason")).isTrue();
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.json().get("errors").has("limit")).isTrue();
        assertThat(badPath.status()).isEqualTo(400);
        assertThat(list.list(null, 10)).isEmpty();
    }

    @Test
    void onlyAdminKeysMayReadOrChangeTheList() throws Exception {
        ApiTestbed.Answer sender = bed.post(
                api, "/v1/admin/suppressions", "{\"address\":\"eve@example.org\",\"reason\":\"x\"}", as(SENDER_TOKEN));
        ApiTestbed.Answer nobody = bed.get(api, "/v1/admin/suppressions");
        ApiTestbed.Answer senderDelete = delete("/v1/admin/suppressions/eve@example.org", as(SENDER_TOKEN));

        assertThat(sender.status()).isEqualTo(403);
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(senderDelete.status()).isEqualTo(403);
        assertThat(list.list(null, 10)).isEmpty();
    }

    @Test
    void withoutAListTheEndpointsSayWhy() throws Exception {
        HeraldApi without = bed.start(b -> b);

        ApiTestbed.Answer listed = bed.get(without, "/v1/admin/suppressions");

        assertThat(listed.status()).isEqualTo(503);
        assertThat(listed.text()).contains("no status table");
    }
}
