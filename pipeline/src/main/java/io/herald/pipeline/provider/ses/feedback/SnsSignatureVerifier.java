package io.herald.pipeline.provider.ses.feedback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;

/**
 * Checks that an SNS envelope comes from the configured topic and carries SNS's signature over its Notification fields:
 * SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, verified with the certificate at SigningCertURL.
 */
final class SnsSignatureVerifier {

    private final String topicArn;
    private final SnsSigningCertificates certificates;

    SnsSignatureVerifier(String topicArn, SnsSigningCertificates certificates) {
        this.topicArn = topicArn;
        this.certificates = certificates;
    }

    /**
     * @throws UnusableFeedback when the envelope is not a Notification of the topic, or its signature does not verify
     * @throws IOException when the signing certificate could not be fetched now
     */
    void verify(SnsEnvelope envelope) throws UnusableFeedback, IOException {
        if (!SnsEnvelope.NOTIFICATION.equals(envelope.type())) {
            // SQS subscriptions the stack creates are confirmed by CloudFormation; another Type here is unexpected.
            throw new UnusableFeedback("SNS message of Type " + envelope.type() + ", not a Notification");
        }
        if (!topicArn.equals(envelope.topicArn())) {
            throw new UnusableFeedback("SNS message from topic " + envelope.topicArn() + ", not " + topicArn);
        }
        String algorithm = switch (envelope.signatureVersion()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new UnusableFeedback("unknown SNS SignatureVersion '" + envelope.signatureVersion() + "'");
        };
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(envelope.signature());
        } catch (IllegalArgumentException e) {
            throw new UnusableFeedback("SNS signature is not base64");
        }
        boolean valid;
        try {
            Signature check = Signature.getInstance(algorithm);
            check.initVerify(certificates.at(envelope.signingCertUrl()).getPublicKey());
            check.update(envelope.notificationStringToSign().getBytes(StandardCharsets.UTF_8));
            valid = check.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new UnusableFeedback("SNS signature cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            throw new UnusableFeedback("SNS signature does not verify (SignatureVersion " + envelope.signatureVersion()
                    + ", MessageId " + envelope.messageId() + ")");
        }
    }
}
