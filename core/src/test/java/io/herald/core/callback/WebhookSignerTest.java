package io.herald.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import io.herald.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Herald's signatures checked two ways that do not use its signer: the Standard Webhooks reference library
 * ({@code com.standardwebhooks}), and the spec's algorithm written out here (HMAC-SHA256 over {@code id.timestamp.body}
 * with the base64-decoded secret after {@code whsec_}).
 */
class WebhookSignerTest {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void theReferenceVerifierAcceptsHeraldsSignature() throws Exception {
        WebhookSigner signer = WebhookSigner.of(Secret.of(SECRET));
        String id = "evt_0190_delivered_1";
        long now = Instant.now().getEpochSecond();
        String body = "{\"type\":\"message.delivered\",\"data\":{\"messageId\":\"m-1\"}}";

        String signature = signer.sign(id, now, body);

        assertThatCode(() -> new Webhook(SECRET)
                        .verify(
                                body,
                                Map.of(
                                        "webhook-id", List.of(id),
                                        "webhook-timestamp", List.of(Long.toString(now)),
                                        "webhook-signature", List.of(signature))))
                .doesNotThrowAnyException();
    }

    @Test
    void theSignatureIsTheSpecsHmacWrittenOutIndependently() throws Exception {
        String id = "evt_1";
        long timestamp = 1_700_000_000L;
        String body = "{\"a\":\"ünïcode\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(
                                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));

        assertThat(WebhookSigner.of(Secret.of(SECRET)).sign(id, timestamp, body))
                .isEqualTo(expected);
    }

    @Test
    void aChangedBodyNoLongerVerifies() throws Exception {
        long now = Instant.now().getEpochSecond();
        String signature = WebhookSigner.of(Secret.of(SECRET)).sign("evt_2", now, "{\"state\":\"delivered\"}");

        assertThatThrownBy(() -> new Webhook(SECRET)
                        .verify(
                                "{\"state\":\"bounced\"}",
                                Map.of(
                                        "webhook-id", List.of("evt_2"),
                                        "webhook-timestamp", List.of(Long.toString(now)),
                                        "webhook-signature", List.of(signature))))
                .isInstanceOf(Exception.class);
    }

    @Test
    void secretsNotInTheSpecsFormAreRefusedWithoutRepeatingThem() {
        String raw = "correct-horse-battery-staple-and-more-words";
        assertThat(WebhookSigner.problem(Secret.of(raw)))
                .hasValueSatisfying(p -> assertThat(p).contains("whsec_").doesNotContain(raw));
        assertThat(WebhookSigner.problem(Secret.of("whsec_not base64!")))
                .hasValueSatisfying(p -> assertThat(p).contains("base64").doesNotContain("not base64"));
        assertThat(WebhookSigner.problem(
                        Secret.of("whsec_" + Base64.getEncoder().encodeToString(bytes(8)))))
                .hasValueSatisfying(p -> assertThat(p).contains("8 bytes").contains("24"));
        assertThat(WebhookSigner.problem(Secret.of(SECRET))).isEmpty();
        assertThatThrownBy(() -> WebhookSigner.of(Secret.of(raw)))
                .hasMessageStartingWith("callbacks.secret ")
                .hasMessageNotContaining(raw);
    }
}
