package io.herald.pipeline.provider.ses.feedback;

/**
 * SES event records shaped as SES publishes them from a configuration set's SNS event destination (field names and
 * nesting as in SES's "Contents of event data that Amazon SES publishes to Amazon SNS"), with the {@code herald-id}
 * email tag Herald sends every email with.
 */
final class SesEventRecords {

    private SesEventRecords() {}

    static String mail(String heraldId, String... destination) {
        StringBuilder to = new StringBuilder();
        for (String address : destination) {
            to.append(to.isEmpty() ? "" : ",").append('"').append(address).append('"');
        }
        return """
                {"timestamp":"2026-12-07T20:40:02.012Z","source":"Herald <herald@example.org>",\
                "sourceArn":"arn:aws:ses:eu-west-1:123456789012:identity/example.org",\
                "sendingAccountId":"123456789012",\
                "messageId":"0102018c-5e5f-4a8b-9d1c-ses-message-id-000000",\
                "destination":[%s],"headersTruncated":false,\
                "headers":[{"name":"From","value":"Herald <herald@example.org>"}],\
                "commonHeaders":{"from":["Herald <herald@example.org>"],"subject":"Job 42 ended"},\
                "tags":{"ses:configuration-set":["herald-events"],"ses:source-ip":["192.0.2.0"],\
                "ses:from-domain":["example.org"],"ses:caller-identity":["herald-pipeline"],\
                "herald-id":["%s"]}}""".formatted(to, heraldId);
    }

    static String bounce(String heraldId, String bounceType, String address, String diagnostic) {
        return """
                {"eventType":"Bounce","bounce":{"bounceType":"%s","bounceSubType":"General",\
                "bouncedRecipients":[{"emailAddress":"%s","action":"failed","status":"5.1.1",\
                "diagnosticCode":"%s"}],"timestamp":"2026-12-07T20:41:02.669Z",\
                "feedbackId":"0102018c-feedback-id-000000","reportingMTA":"dsn; mta.example.com"},\
                "mail":%s}""".formatted(bounceType, address, diagnostic, mail(heraldId, address));
    }

    static String complaint(String heraldId, String address) {
        return """
                {"eventType":"Complaint","complaint":{"feedbackId":"0102018c-complaint-id-000000",\
                "complaintSubType":null,"complainedRecipients":[{"emailAddress":"%s"}],\
                "timestamp":"2026-12-07T20:45:00.000Z","userAgent":"Mozilla/5.0",\
                "complaintFeedbackType":"abuse","arrivalDate":"2026-12-07T20:44:59.000Z"},\
                "mail":%s}""".formatted(address, mail(heraldId, address));
    }

    static String delivery(String heraldId, String address) {
        return """
                {"eventType":"Delivery","mail":%s,"delivery":{"timestamp":"2026-12-07T20:40:03.000Z",\
                "processingTimeMillis":546,"recipients":["%s"],\
                "smtpResponse":"250 2.6.0 Message received",\
                "reportingMTA":"a8-70.smtp-out.amazonses.com"}}""".formatted(mail(heraldId, address), address);
    }

    static String reject(String heraldId, String address) {
        return """
                {"eventType":"Reject","mail":%s,\
                "reject":{"reason":"Bad content"}}""".formatted(mail(heraldId, address));
    }

    static String deliveryDelay(String heraldId, String address) {
        return """
                {"eventType":"DeliveryDelay","mail":%s,"deliveryDelay":{"timestamp":"2026-12-07T20:50:00.000Z",\
                "delayType":"TransientCommunicationFailure","expirationTime":"2026-12-08T08:40:02.012Z",\
                "delayedRecipients":[{"emailAddress":"%s","status":"4.4.1",\
                "diagnosticCode":"smtp; 421 4.4.1 Unable to connect"}]\
                }}""".formatted(mail(heraldId, address), address);
    }

    static String open(String heraldId, String address) {
        return """
                {"eventType":"Open","mail":%s,"open":{"ipAddress":"192.0.2.1",\
                "timestamp":"2026-12-07T20:55:00.000Z",\
                "userAgent":"Mozilla/5.0"}}""".formatted(mail(heraldId, address));
    }
}
