package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.ApiKeyEntry;
import io.herald.core.control.DynamoControlStore;
import io.herald.core.status.StatusTable;
import io.javalin.security.RouteRole;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Authorization is declared on the routes: every route this API registers (all optional ones switched on) declares
 * exactly one {@link ApiRole}, only the routes listed here are not admin routes, and every admin route refuses a
 * sender's key (403) and no key (401) before its handler runs, also when asked with HEAD. A route added without a
 * declaration, or declared too openly, fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteAuthorizationTest {

    private static final String ADMIN_TOKEN = "ops-" + UUID.randomUUID();
    private static final String SENDER_TOKEN = "ci-" + UUID.randomUUID();
    /** The routes anyone or any key may call; every other route must be {@link ApiRole#ADMIN}. */
    private static final Map<String, ApiRole> NOT_ADMIN = Map.ofEntries(
            Map.entry("GET /", ApiRole.PUBLIC),
            Map.entry("GET /healthz", ApiRole.PUBLIC),
            Map.entry("GET /readyz", ApiRole.PUBLIC),
            Map.entry("GET /openapi.json", ApiRole.PUBLIC),
            Map.entry("GET /docs", ApiRole.PUBLIC),
            Map.entry("GET /v1/channels", ApiRole.PUBLIC),
            Map.entry("POST /email/send", ApiRole.SENDER),
            Map.entry("POST /v1/notifications", ApiRole.SENDER),
            Map.entry("GET /v1/notifications/{id}", ApiRole.READER),
            Map.entry("POST /v1/feedback/{provider}", ApiRole.PUBLIC),
            Map.entry("POST /v1/me/link", ApiRole.PUBLIC),
            Map.entry("POST /v1/me/session", ApiRole.PUBLIC),
            // RFC 8058: a mail client's one-click POST carries no key, cookie or login; the signed token is the proof.
            Map.entry("GET /u/{token}", ApiRole.PUBLIC),
            Map.entry("POST /u/{token}", ApiRole.PUBLIC),
            Map.entry("GET /v1/me/preferences", ApiRole.SELF),
            Map.entry("PUT /v1/me/preferences", ApiRole.SELF));

    private ApiTestbed bed;
    private HeraldApi api;
    private DynamoControlStore control;

    private static ApiKeyEntry key(String text) {
        return ((ApiKeyEntry.Parsed.Valid) ApiKeyEntry.parse(text)).entry();
    }

    /**
     * The chaos demo's real implementation lives in the cli module, which this one cannot depend on; its routes are
     * only registered here to be refused, so this stand-in fails if reached.
     */
    private static final class UnreachableDemo implements LocalDemo {
        @Override
        public State state() {
            throw new AssertionError("the guard let a request through to the demo");
        }

        @Override
        public boolean setBroken(String provider, boolean broken) {
            throw new AssertionError("the guard let a request through to the demo");
        }

        @Override
        public void setTraffic(int perSecond) {
            throw new AssertionError("the guard let a request through to the demo");
        }
    }

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        StatusTable.createIfMissing(bed.dynamoClient, "route-auth");
        control = new DynamoControlStore(bed.dynamoClient, "route-auth", Duration.ofSeconds(30), Clock.systemUTC());
        api = bed.start(b -> b.controlStore(control)
                .overview(bed.sqsClient)
                .localDemo(new UnreachableDemo())
                .access(ApiAccess.keys(List.of(
                        key("name=ops sha256=" + ApiKeyEntry.hash(ADMIN_TOKEN) + " senders=* rate=1000/s role=admin"),
                        key("name=ci sha256=" + ApiKeyEntry.hash(SENDER_TOKEN) + " senders=* rate=1000/s")))));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @Test
    void everyRouteDeclaresExactlyOneRoleAndOnlyTheListedOnesAreNotAdminRoutes() {
        List<HeraldApi.DeclaredRoute> routes = api.routes();

        assertThat(routes)
                .as("the optional routes are switched on")
                .extracting(HeraldApi.DeclaredRoute::path)
                .contains("/v1/admin/overview", "/v1/admin/dead-letters/redrive", "/v1/local/demo/traffic");
        for (HeraldApi.DeclaredRoute route : routes) {
            String name = route.method() + " " + route.path();
            List<RouteRole> roles =
                    route.roles().stream().filter(ApiRole.class::isInstance).toList();
            assertThat(roles).as(name + " declares exactly one ApiRole").hasSize(1);
            assertThat(roles.getFirst()).as(name).isEqualTo(NOT_ADMIN.getOrDefault(name, ApiRole.ADMIN));
        }
    }

    @Test
    void everyAdminRouteRefusesASendersKeyWith403AndNoKeyWith401() throws Exception {
        List<String> checked = new ArrayList<>();
        for (HeraldApi.DeclaredRoute route : api.routes()) {
            if (!route.roles().contains(ApiRole.ADMIN)) {
                continue;
            }
            String name = route.method() + " " + route.path();
            ApiTestbed.Answer sender = bed.send(request(route, "Authorization", "Bearer " + SENDER_TOKEN));
            ApiTestbed.Answer nobody = bed.send(request(route));

            assertThat(sender.status()).as(name + " with a sender's key").isEqualTo(403);
            assertThat(sender.errors().get("base")).as(name).contains("'ci'").contains("role=admin");
            assertThat(nobody.status()).as(name + " without a key").isEqualTo(401);
            assertThat(nobody.header("WWW-Authenticate")).as(name).isNotNull();
            if (route.method().equals("GET")) {
                // Javalin answers HEAD with the GET route's handler, without the route's roles.
                assertThat(head(route, "Authorization", "Bearer " + SENDER_TOKEN))
                        .as("HEAD " + name + " with a sender's key")
                        .isEqualTo(403);
                assertThat(head(route)).as("HEAD " + name + " without a key").isEqualTo(401);
            }
            checked.add(name);
        }
        assertThat(checked)
                .as("admin routes checked")
                .hasSizeGreaterThanOrEqualTo(13)
                .contains("GET /metrics", "POST /v1/admin/pauses", "DELETE /v1/admin/pauses/{scope}/{name}");
        assertThat(control.pauses()).as("no refused request paused anything").isEmpty();
    }

    @Test
    void anAdminKeyGetsThroughTheGuard() throws Exception {
        ApiTestbed.Answer overview = bed.get(api, "/v1/admin/overview", "Authorization", "Bearer " + ADMIN_TOKEN);
        ApiTestbed.Answer pauses = bed.get(api, "/v1/admin/pauses", "Authorization", "Bearer " + ADMIN_TOKEN);

        assertThat(overview.status()).as(overview.text()).isEqualTo(200);
        assertThat(pauses.status()).as(pauses.text()).isEqualTo(200);
    }

    /** HEAD has no body to check against openapi.json: only its status is asked for. */
    private int head(HeraldApi.DeclaredRoute route, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        ApiTestbed.uri(api, route.path().replaceAll("\\{[^}]+}", "x")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return bed.http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The route with a placeholder for each path parameter and an empty JSON object as body. */
    private HttpRequest request(HeraldApi.DeclaredRoute route, String... headers) {
        String path = route.path().replaceAll("\\{[^}]+}", "x");
        HttpRequest.Builder b = HttpRequest.newBuilder(ApiTestbed.uri(api, path))
                .header("Content-Type", "application/json")
                .method(
                        route.method(),
                        route.method().equals("GET") || route.method().equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }
}
