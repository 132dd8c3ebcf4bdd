package io.herald.api;

import io.herald.core.config.ApiKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outside review's findings on the API (issue 15), one behaviour each: every test here failed
 * against the code the review attacked. Keys: {@code alpha} may send only from alpha.example.org,
 * {@code root} is an admin key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityReviewApiTest {

    private static final String ALPHA = "alpha-" + UUID.randomUUID();
    private static final String ROOT = "root-" + UUID.randomUUID();

    private ApiTestbed bed;
    private HeraldApi api;
    private final AtomicLong nanos = new AtomicLong();

    static ApiKeyEntry key(String text) {
        return switch (ApiKeyEntry.parse(text)) {
            case ApiKeyEntry.Parsed.Valid valid -> valid.entry();
            case ApiKeyEntry.Parsed.Invalid invalid -> throw new AssertionError(invalid.problem());
        };
    }

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        api = bed.start(b -> b.access(ApiAccess.keys(List.of(
                key("name=alpha sha256=" + ApiKeyEntry.hash(ALPHA) + " senders=alpha.example.org rate=1000/s"),
                key("name=root sha256=" + ApiKeyEntry.hash(ROOT) + " senders=* rate=1000/s role=admin")),
                nanos::get)));
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private ApiTestbed.Answer notify(String token, String body) throws Exception {
        return bed.post(api, "/v1/notifications", body, "Authorization", "Bearer " + token);
    }

    private ApiTestbed.Answer email(String token, String body) throws Exception {
        return bed.post(api, "/email/send", body, "Authorization", "Bearer " + token);
    }

    // Finding 1: "from": "" skipped the sender check and mailed from the provider's default sender.

    @Test
    void anEmptyOrBlankFromIsAMissingFromForEmailReceivers() throws Exception {
        for (String from : List.of("", " ", "\\t")) {
            ApiTestbed.Answer answer = notify(ALPHA, """
                    {"to": "mailto:victim@example.com", "from": "%s", "text": "hi"}""".formatted(from));

            assertThat(answer.status()).as("from '%s'", from).isEqualTo(422);
            assertThat(answer.errors()).containsExactly(Map.entry("from", "From is required for email receivers"));
        }
    }

    @Test
    void anEmptyFromEmailOnTheGomailEndpointIsRequiredToo() throws Exception {
        ApiTestbed.Answer answer = email(ALPHA, bed.email("", "victim@example.com", "s", "b"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors()).containsExactly(Map.entry("fromEmail", "From email is required"));
    }

    @Test
    void aChatOnlyNotificationNeedsNoFrom() throws Exception {
        assertThat(notify(ALPHA, """
                {"to": "telegram:1", "from": "", "text": "hi"}""").status()).isEqualTo(202);
    }

    // Finding 13: a display name could hold an address.

    @Test
    void aDisplayNameHoldingAnAddressIs422NamingTheField() throws Exception {
        for (String name : List.of("Bank <ceo@bank.example>", "ceo@bank.example", "Bank \uFF1Cceo\uFF20bank.example\uFF1E",
                "Bank\\tCEO", "\u202Eelpmaxe.knab")) {
            ApiTestbed.Answer notification = notify(ALPHA, bed.mapper.writeValueAsString(Map.of("to", "telegram:1",
                    "fromName", name.replace("\\t", "\t"), "text", "hi")));
            var gomail = bed.mapper.createObjectNode();
            gomail.putObject("email").put("fromEmail", "a@alpha.example.org").put("fromName", "Ops")
                    .put("toEmail", "b@example.com").put("toName", name.replace("\\t", "\t")).put("body", "b");
            ApiTestbed.Answer sent = email(ALPHA, bed.mapper.writeValueAsString(gomail));

            assertThat(notification.status()).as(name).isEqualTo(422);
            assertThat(notification.errors()).as(name).containsOnlyKeys("fromName");
            assertThat(sent.status()).as(name).isEqualTo(422);
            assertThat(sent.errors()).as(name).containsOnlyKeys("toName");
        }
    }

    @Test
    void anOrdinaryDisplayNameIsKept() throws Exception {
        assertThat(notify(ALPHA, """
                {"to": "mailto:b@example.com", "from": "ops@alpha.example.org", "fromName": "Ops (Zürich) – Team",
                 "text": "hi"}""").status()).isEqualTo(202);
    }
}
