package io.herald.core.provider.sendgrid;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Checks SendGrid's Signed Event Webhook: {@code X-Twilio-Email-Event-Webhook-Signature} is a base64 DER ECDSA
 * signature (SHA-256, curve P-256) over the {@code X-Twilio-Email-Event-Webhook-Timestamp} header's text followed by
 * the raw body, made with the key whose public half SendGrid's settings page shows. The JDK's own {@code EC} provider
 * does all of it, so no crypto library is needed.
 */
public final class SendGridWebhookSignature {

    /** The field size of P-256; a key on another curve would verify signatures SendGrid never makes. */
    private static final int P256_BITS = 256;

    private final PublicKey key;

    private SendGridWebhookSignature(PublicKey key) {
        this.key = key;
    }

    /**
     * @param publicKey base64 of the DER SubjectPublicKeyInfo, as SendGrid shows it; a PEM block ({@code -----BEGIN
     *     PUBLIC KEY-----}) is taken too
     * @throws IllegalArgumentException naming what is wrong with the key (never its text)
     */
    public static SendGridWebhookSignature of(String publicKey) {
        String base64 = publicKey == null
                ? ""
                : publicKey.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        if (base64.isEmpty()) {
            throw new IllegalArgumentException("no public key given");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the public key is not base64", e);
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the public key is not a DER-encoded EC public key", e);
        }
        if (!(key instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != P256_BITS) {
            throw new IllegalArgumentException("the public key is not on curve P-256 (SendGrid signs with P-256)");
        }
        return new SendGridWebhookSignature(key);
    }

    /**
     * @param timestamp the timestamp header's text, exactly as sent
     * @param body the raw body, exactly as received
     * @param signature the signature header's text
     * @return true only when the signature is well-formed and was made over exactly these bytes with the key
     */
    public boolean verify(String timestamp, byte[] body, String signature) {
        if (timestamp == null || body == null || signature == null || signature.isBlank()) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(signature.strip()));
        } catch (IllegalArgumentException | GeneralSecurityException malformed) {
            // Not base64, or not a DER ECDSA signature: as good as none.
            return false;
        }
    }
}
