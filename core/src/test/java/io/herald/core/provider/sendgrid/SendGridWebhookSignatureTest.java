package io.herald.core.provider.sendgrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SendGrid's signature scheme with a key pair made here: SendGrid's private key cannot be had, and the scheme is plain
 * ECDSA P-256 over SHA-256, which the JDK signs exactly as SendGrid does (DER signature, base64).
 */
class SendGridWebhookSignatureTest {

    private static final String TIMESTAMP = "1733600000";
    private static final byte[] BODY = "[{\"email\":\"a@example.org\",\"event\":\"bounce\",\"sg_event_id\":\"e1\"}]\r\n"
            .getBytes(StandardCharsets.UTF_8);

    private static KeyPair pair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static String publicKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    private static String sign(KeyPair pair, String timestamp, byte[] body) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    @Test
    void aSignatureOverTimestampAndBodyVerifiesAndAnyChangeBreaksIt() throws Exception {
        KeyPair sendGrid = pair("secp256r1");
        SendGridWebhookSignature check = SendGridWebhookSignature.of(publicKey(sendGrid));
        String signature = sign(sendGrid, TIMESTAMP, BODY);

        assertThat(check.verify(TIMESTAMP, BODY, signature)).isTrue();
        assertThat(check.verify("1733600001", BODY, signature))
                .as("another timestamp")
                .isFalse();
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 4] ^= 1;
        assertThat(check.verify(TIMESTAMP, tampered, signature))
                .as("a changed body")
                .isFalse();
        assertThat(check.verify(TIMESTAMP, BODY, sign(pair("secp256r1"), TIMESTAMP, BODY)))
                .as("another key's signature")
                .isFalse();
        assertThat(check.verify(TIMESTAMP, BODY, "not base64 !")).isFalse();
        assertThat(check.verify(TIMESTAMP, BODY, Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})))
                .as("not a DER signature")
                .isFalse();
        assertThat(check.verify(TIMESTAMP, BODY, "")).isFalse();
    }

    @Test
    void aPemBlockIsTakenLikeTheBareBase64() throws Exception {
        KeyPair sendGrid = pair("secp256r1");
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(sendGrid.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

        assertThat(SendGridWebhookSignature.of(pem).verify(TIMESTAMP, BODY, sign(sendGrid, TIMESTAMP, BODY)))
                .isTrue();
    }

    @Test
    void aKeyThatIsNotAnEcP256PublicKeyIsRefusedSayingWhy() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaKey = Base64.getEncoder()
                .encodeToString(rsa.generateKeyPair().getPublic().getEncoded());

        assertThatThrownBy(() -> SendGridWebhookSignature.of("")).hasMessage("no public key given");
        assertThatThrownBy(() -> SendGridWebhookSignature.of("%%%")).hasMessage("the public key is not base64");
        assertThatThrownBy(() -> SendGridWebhookSignature.of("AAAA"))
                .hasMessage("the public key is not a DER-encoded EC public key");
        assertThatThrownBy(() -> SendGridWebhookSignature.of(rsaKey))
                .hasMessage("the public key is not a DER-encoded EC public key");
        assertThatThrownBy(() -> SendGridWebhookSignature.of(publicKey(pair("secp384r1"))))
                .hasMessageContaining("not on curve P-256");
    }

    @Test
    void aConfiguredKeyThatDoesNotParseStopsStartUpNamingTheKey() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> new ConfigLoader(Map.of())
                        .loadYaml("providers: {sendgrid: {eventWebhook: {publicKey: \"AAAA\"}}}"));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("providers.sendgrid.eventWebhook.publicKey "
                        + "(HERALD_PROVIDERS_SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY): "
                        + "the public key is not a DER-encoded EC public key")
                .doesNotContain("AAAA");
    }

    @Test
    void aValidKeyLoadsAndTurnsTheEndpointOn() throws Exception {
        String key = publicKey(pair("secp256r1"));

        var providers = new ConfigLoader(Map.of())
                .loadYaml("providers: {sendgrid: {eventWebhook: {publicKey: \"" + key + "\"}}}")
                .providers();
        var sendgrid = providers.of(SendGridConfig.class).eventWebhook();

        assertThat(sendgrid.enabled()).isTrue();
        assertThat(sendgrid.publicKey()).isEqualTo(key);
        assertThat(providers.feedbackWebhooks())
                .as("the registry offers the webhook, switched on")
                .hasEntrySatisfying(
                        "sendgrid", webhook -> assertThat(webhook.enabled()).isTrue());
    }

    @Test
    void byDefaultTheRegistryOffersOnlySendGridsWebhookSwitchedOffNamingTheKeyThatTurnsItOn() {
        var webhooks = HeraldConfig.defaults().providers().feedbackWebhooks();

        assertThat(webhooks).containsOnlyKeys("sendgrid");
        assertThat(webhooks.get("sendgrid").enabled()).isFalse();
        assertThat(webhooks.get("sendgrid").offReason()).contains("providers.sendgrid.eventWebhook.publicKey");
        assertThat(webhooks.get("sendgrid").maxBodyBytesKey())
                .isEqualTo("providers.sendgrid.eventWebhook.maxBodyBytes");
    }
}
