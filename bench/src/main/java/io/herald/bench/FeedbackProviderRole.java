package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.bench.FeedbackDrill.Fate;
import io.herald.bench.FeedbackDrill.FeedbackMail;
import io.herald.bench.FeedbackDrill.FeedbackRoute;
import io.herald.bench.FeedbackDrill.Population;
import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.provider.sendgrid.SendGridEventWebhook;
import io.herald.core.sqs.SqsProducer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The providers' part after accepting a mail, on two virtual threads: one watches what each fake accepted and feeds
 * back a bounce or complaint for each mail to such an address, through the intake of the provider that accepted it
 * (once per mail); the other polls the suppression list for the fed-back addresses, to time feedback to suppression.
 */
final class FeedbackProviderRole implements AutoCloseable {

    private final Population population;
    private final EmailApiFake ses;
    private final EmailApiFake sendgrid;
    private final SesFeedbackSender sesSender;
    private final SendGridWebhookSender webhook;
    private final Suppressions suppressions;
    private final Map<String, FeedbackMail> sent = new ConcurrentHashMap<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final Set<String> fedBackIds = ConcurrentHashMap.newKeySet();
    private final Map<FeedbackRoute, Map<Fate, Integer>> fedBack = new ConcurrentHashMap<>();
    /** Address → when its feedback went out, and by which intake. */
    private final Map<String, Long> emittedAt = new ConcurrentHashMap<>();

    private final Map<String, FeedbackRoute> emittedBy = new ConcurrentHashMap<>();
    private final Map<String, Long> suppressedAt = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private int sesCursor;
    private int sendgridCursor;

    FeedbackProviderRole(
            Population population,
            EmailApiFake ses,
            EmailApiFake sendgrid,
            SesFeedbackSender sesSender,
            SendGridWebhookSender webhook,
            Suppressions suppressions) {
        this.population = population;
        this.ses = ses;
        this.sendgrid = sendgrid;
        this.sesSender = sesSender;
        this.webhook = webhook;
        this.suppressions = suppressions;
    }

    Map<String, FeedbackMail> sent() {
        return sent;
    }

    void start() {
        threads.add(Thread.ofVirtual().name("fbdrill-provider-role").start(() -> loop(this::feedBack)));
        threads.add(Thread.ofVirtual().name("fbdrill-suppression-watch").start(() -> loop(this::watch)));
    }

    private void loop(Step step) {
        while (running.get()) {
            try {
                step.run();
                Thread.sleep(FeedbackDrill.POLL);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                errors.add("the drill's provider role failed: " + e);
                return;
            }
        }
    }

    /** One round of the role's work. */
    private interface Step {
        void run() throws Exception;
    }

    private void feedBack() throws Exception {
        List<FeedbackMail> viaSes = new ArrayList<>();
        List<FeedbackMail> viaSendGrid = new ArrayList<>();
        List<EmailApiFake.Received> atSes = ses.received();
        for (int i = sesCursor; i < atSes.size(); i++) {
            take(atSes.get(i), viaSes);
        }
        sesCursor = atSes.size();
        List<EmailApiFake.Received> atSendGrid = sendgrid.received();
        for (int i = sendgridCursor; i < atSendGrid.size(); i++) {
            take(atSendGrid.get(i), viaSendGrid);
        }
        sendgridCursor = atSendGrid.size();
        if (!viaSes.isEmpty()) {
            emitted(viaSes, FeedbackRoute.SES);
            sesSender.send(viaSes, population);
        }
        if (!viaSendGrid.isEmpty()) {
            emitted(viaSendGrid, FeedbackRoute.SENDGRID);
            String problem = webhook.send(viaSendGrid, population);
            if (problem != null) {
                errors.add(problem);
            }
        }
    }

    private void take(EmailApiFake.Received r, List<FeedbackMail> feedback) {
        received.add(r.heraldId());
        if (!r.accepted()) {
            return;
        }
        accepted.add(r.heraldId());
        FeedbackMail mail = sent.get(r.heraldId());
        if (mail != null && population.fate(mail.address()) != Fate.CLEAN && fedBackIds.add(mail.id())) {
            feedback.add(mail);
        }
    }

    private void emitted(List<FeedbackMail> mails, FeedbackRoute intake) {
        long now = System.nanoTime();
        for (FeedbackMail mail : mails) {
            emittedAt.putIfAbsent(mail.address(), now);
            emittedBy.putIfAbsent(mail.address(), intake);
            fedBack.computeIfAbsent(intake, k -> new ConcurrentHashMap<>())
                    .merge(population.fate(mail.address()), 1, Integer::sum);
        }
    }

    private void watch() {
        List<String> pending = emittedAt.keySet().stream()
                .filter(a -> !suppressedAt.containsKey(a))
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        List<Optional<Suppression>> found = suppressions.findAll(
                pending.stream().map(a -> new Suppressions.Lookup(a, null)).toList());
        long now = System.nanoTime();
        for (int i = 0; i < pending.size(); i++) {
            if (found.get(i).isPresent()) {
                suppressedAt.putIfAbsent(pending.get(i), now);
            }
        }
    }

    boolean acceptedAll(List<String> ids) {
        return accepted.containsAll(ids);
    }

    boolean received(String id) {
        return received.contains(id);
    }

    int acceptedDistinct() {
        return accepted.size();
    }

    int suppressedCount() {
        return suppressedAt.size();
    }

    Map<FeedbackRoute, Map<Fate, Integer>> fedBack() {
        Map<FeedbackRoute, Map<Fate, Integer>> copy = new EnumMap<>(FeedbackRoute.class);
        fedBack.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        return copy;
    }

    List<Double> latenciesMillis(FeedbackRoute intake) {
        List<Double> out = new ArrayList<>();
        emittedAt.forEach((address, at) -> {
            Long listed = suppressedAt.get(address);
            if (listed != null && emittedBy.get(address) == intake) {
                out.add((listed - at) / 1e6);
            }
        });
        return out;
    }

    List<Long> emittedNanos() {
        return List.copyOf(emittedAt.values());
    }

    int webhookCalls() {
        return webhook.calls();
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }

    /** SES's part after a bounce or complaint: its event record, in a signed SNS envelope, on the feedback queue. */
    static final class SesFeedbackSender {

        private final ObjectMapper json = new ObjectMapper();
        private final LocalSqs sqs;
        private final String queueUrl;
        private final SnsCertificateHost signer;

        SesFeedbackSender(LocalSqs sqs, String queueUrl, SnsCertificateHost signer) {
            this.sqs = sqs;
            this.queueUrl = queueUrl;
            this.signer = signer;
        }

        void send(List<FeedbackMail> mails, Population population) throws Exception {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (FeedbackMail mail : mails) {
                String record = json.writeValueAsString(sesRecord(mail, population.fate(mail.address())));
                String id = UUID.randomUUID().toString();
                String timestamp = Instant.now().toString();
                ObjectNode envelope = json.createObjectNode()
                        .put("Type", "Notification")
                        .put("MessageId", id)
                        .put("TopicArn", FeedbackDrill.TOPIC)
                        .put("Message", record)
                        .put("Timestamp", timestamp)
                        .put("SignatureVersion", "2")
                        .put("Signature", signer.sign(record, id, timestamp))
                        .put("SigningCertURL", signer.certificateUrl())
                        .put("UnsubscribeURL", "https://127.0.0.1:1/?Action=Unsubscribe");
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(entries.size()))
                        .messageBody(json.writeValueAsString(envelope))
                        .build());
                if (entries.size() == SqsProducer.MAX_BATCH_ENTRIES) {
                    flush(entries);
                }
            }
            flush(entries);
        }

        private void flush(List<SendMessageBatchRequestEntry> entries) {
            if (entries.isEmpty()) {
                return;
            }
            List<SendMessageBatchRequestEntry> batch = List.copyOf(entries);
            entries.clear();
            var response =
                    sqs.client().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException(
                        "SQS refused " + response.failed().size() + " SES feedback messages");
            }
        }

        /** The event record as SES publishes it from a configuration set (the fields Herald reads, and a few more). */
        private ObjectNode sesRecord(FeedbackMail mail, Fate fate) {
            String now = Instant.now().toString();
            ObjectNode record = json.createObjectNode();
            ObjectNode m = record.putObject("mail");
            m.put("timestamp", now).put("source", "Herald <herald@example.org>").put("messageId", "ses-" + mail.id());
            m.putArray("destination").add(mail.address());
            ObjectNode tags = m.putObject("tags");
            tags.putArray("ses:configuration-set").add("herald-events");
            tags.putArray("herald-id").add(mail.id());
            if (fate == Fate.BOUNCE) {
                record.put("eventType", "Bounce");
                ObjectNode bounce = record.putObject("bounce");
                bounce.put("bounceType", "Permanent")
                        .put("bounceSubType", "General")
                        .put("timestamp", now)
                        .put("feedbackId", UUID.randomUUID().toString())
                        .put("reportingMTA", "dsn; a8-70.smtp-out.amazonses.com");
                ArrayNode recipients = bounce.putArray("bouncedRecipients");
                recipients
                        .addObject()
                        .put("emailAddress", mail.address())
                        .put("action", "failed")
                        .put("status", "5.1.1")
                        .put("diagnosticCode", "smtp; 550 5.1.1 user unknown");
            } else {
                record.put("eventType", "Complaint");
                ObjectNode complaint = record.putObject("complaint");
                complaint
                        .put("feedbackId", UUID.randomUUID().toString())
                        .put("timestamp", now)
                        .put("complaintFeedbackType", "abuse")
                        .put("userAgent", "fbdrill");
                complaint.putArray("complainedRecipients").addObject().put("emailAddress", mail.address());
            }
            return record;
        }
    }

    /** SendGrid's part: a batch of Event Webhook events, signed as SendGrid signs them, posted to the API. */
    static final class SendGridWebhookSender {

        private final ObjectMapper json = new ObjectMapper();
        private final HttpClient http;
        private final URI url;
        private final KeyPair key;
        private final AtomicInteger calls = new AtomicInteger();

        SendGridWebhookSender(HttpClient http, URI url, KeyPair key) {
            this.http = http;
            this.url = url;
            this.key = key;
        }

        /** @return null when the API took the batch, else why not */
        String send(List<FeedbackMail> mails, Population population) throws Exception {
            ArrayNode events = json.createArrayNode();
            long now = Instant.now().getEpochSecond();
            for (FeedbackMail mail : mails) {
                ObjectNode event = events.addObject()
                        .put("email", mail.address())
                        .put("timestamp", now)
                        .put("sg_event_id", UUID.randomUUID().toString())
                        .put("sg_message_id", "sg-" + mail.id())
                        .put("herald_id", mail.id());
                if (population.fate(mail.address()) == Fate.BOUNCE) {
                    event.put("event", "bounce")
                            .put("type", "bounce")
                            .put("status", "5.1.1")
                            .put("reason", "550 5.1.1 The email account that you tried to reach does not exist");
                } else {
                    event.put("event", "spamreport");
                }
            }
            byte[] body = json.writeValueAsBytes(events);
            String lastProblem = null;
            // SendGrid retries a batch the endpoint did not take; so does its stand-in, a few times.
            for (int attempt = 1; attempt <= FeedbackDrill.WEBHOOK_TRIES; attempt++) {
                String timestamp = Long.toString(Instant.now().getEpochSecond());
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(key.getPrivate());
                signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
                signer.update(body);
                HttpRequest request = HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header(SendGridEventWebhook.TIMESTAMP, timestamp)
                        .header(
                                SendGridEventWebhook.SIGNATURE,
                                Base64.getEncoder().encodeToString(signer.sign()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                calls.incrementAndGet();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return null;
                }
                lastProblem = "the SendGrid webhook answered " + response.statusCode() + ": " + response.body();
                Thread.sleep(Duration.ofSeconds(attempt));
            }
            return lastProblem;
        }

        int calls() {
            return calls.get();
        }
    }
}
