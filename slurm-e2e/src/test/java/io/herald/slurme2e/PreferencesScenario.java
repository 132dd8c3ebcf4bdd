package io.herald.slurme2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.herald.core.envelope.Envelope;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.DynamoChatLinks;
import io.herald.core.preferences.DynamoPreferencesStore;
import io.herald.core.preferences.DynamoRecentJobs;
import io.herald.core.preferences.PreferencesCodec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 19 on the real cluster: the installed herald-telegram-bot.service against a fake Bot API (WireMock on
 * 127.0.0.1, speaking Telegram's JSON) gives a chat a code with /link; a real job with {@code --mail-user=link:CODE}
 * links the chat to the job's Unix user; preferences (a bare --mail-user to that chat and an address, quiet hours
 * ending a minute or two later, FAIL breaking through) then fold three jobs' END mails into one digest per receiver
 * while a failed job is sent at once; and /jobs in the chat lists them from Herald's records. The status table is a
 * DynamoDB Local in the test's JVM, which the installed forwarder and bot reach over 127.0.0.1.
 */
final class PreferencesScenario implements AutoCloseable {

    static final String CHAT = "424242";
    private static final String BOT = "/bot" + HeraldInstallation.BOT_TOKEN;
    private static final String WORK_ADDRESS = "prefs@example.org";

    private final WireMockServer telegram;
    private final ObjectMapper json = new ObjectMapper();
    private final String user;
    private long nextOffset;
    private final List<String> quietJobs = new ArrayList<>();
    private String failJob;
    private Instant quietEnds;

    private PreferencesScenario(WireMockServer telegram, String user) {
        this.telegram = telegram;
        this.user = user;
    }

    /** The Telegram fake, up before Herald is configured (its URL goes into herald.yaml). */
    static PreferencesScenario start(String user) {
        WireMockServer telegram =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        telegram.start();
        telegram.stubFor(post(urlEqualTo(BOT + "/getMe"))
                .willReturn(
                        okJson("{\"ok\":true,\"result\":{\"id\":999,\"is_bot\":true,\"username\":\"HeraldE2eBot\"}}")));
        telegram.stubFor(post(urlEqualTo(BOT + "/sendMessage"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1}}")));
        // Nothing new: answered after a pause, as a long poll is, so the bot does not spin.
        telegram.stubFor(post(urlEqualTo(BOT + "/getUpdates"))
                .atPriority(10)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":true,\"result\":[]}")
                        .withFixedDelay(300)));
        return new PreferencesScenario(telegram, user);
    }

    URI telegramUrl() {
        // 127.0.0.1, not WireMock's "localhost", which may resolve to ::1 where nothing listens.
        return URI.create("http://127.0.0.1:" + telegram.port());
    }

    /** A private message from the chat, then the bot's reply to it. */
    private String say(String text) throws IOException {
        long id = nextOffset++;
        int before = replies().size();
        telegram.stubFor(post(urlEqualTo(BOT + "/getUpdates"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.offset", equalTo(Long.toString(id))))
                .willReturn(okJson("""
                        {"ok":true,"result":[{"update_id":%d,"message":{"message_id":%d,"date":1767600000,
                         "chat":{"id":%s,"type":"private"},"from":{"id":%s,"is_bot":false,"first_name":"E2E"},
                         "text":%s}}]}""".formatted(id, id, CHAT, CHAT, json.writeValueAsString(text)))));
        Awaitility.await("the bot's reply to " + text)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> replies().size() > before);
        return replies().get(before);
    }

    private List<String> replies() throws IOException {
        List<String> out = new ArrayList<>();
        List<LoggedRequest> sent =
                new ArrayList<>(telegram.findAll(postRequestedFor(urlEqualTo(BOT + "/sendMessage"))));
        sent.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        for (LoggedRequest r : sent) {
            JsonNode body = json.readTree(r.getBodyAsString());
            if (body.path("chat_id").asText().equals(CHAT)) {
                out.add(body.path("text").asText());
            }
        }
        return out;
    }

    /** /link in the chat, then a real job with --mail-user=link:CODE; the chat's confirmation is on the queue. */
    void link(
            SoftAssertions softly,
            HeraldInstallation herald,
            LocalSlurmCluster cluster,
            Path work,
            QueueMailbox mailbox,
            DynamoDbClient dynamo)
            throws IOException {
        herald.startTelegramBot(work.getParent().resolve("slurm/log"));
        String reply = say("/link");
        String code = reply.replaceAll("(?s).*--mail-user=link:([A-Z0-9]+).*", "$1");
        softly.assertThat(code)
                .as("/link gives a code to put in --mail-user (issue 19 item 3)")
                .hasSize(8);
        String job = sbatch(cluster, work, "link", "--mail-type=BEGIN", "--mail-user=link:" + code, "--wrap", "true");
        Optional<Envelope> confirmation = awaitOnQueue(
                mailbox,
                "the link confirmation",
                Duration.ofSeconds(90),
                e -> e.slurm() == null
                        && ("telegram:" + CHAT).equals(e.channel() + ":" + e.target())
                        && e.content().title().startsWith("Linked to"));
        softly.assertThat(confirmation)
                .as("the chat is told it is linked (issue 19 item 3)")
                .hasValueSatisfying(e -> softly.assertThat(e.content().text())
                        .contains("linked to Unix user " + user + " on cluster " + LocalSlurmCluster.CLUSTER)
                        .contains(job));
        softly.assertThat(new DynamoChatLinks(dynamo, HeraldInstallation.STATUS_TABLE).linkOf("telegram", CHAT))
                .map(ChatLinks.ChatLink::user)
                .as("the link recorded for SLURM_JOB_USER")
                .contains(user);
        softly.assertThat(mailbox.about(job))
                .as("a link job sends nothing else")
                .isEmpty();
        Progress.say("chat " + CHAT + " linked to " + user + " by job " + job);
    }

    /**
     * Preferences for the user (as an admin's {@code herald prefs set} would save them): receivers the linked chat and
     * an address, quiet hours from hours ago until the minute boundary one to two minutes ahead, FAIL breaking through.
     * Then three END jobs and a failing one, all with Slurm's default --mail-user.
     */
    void submitDuringQuietHours(LocalSlurmCluster cluster, Path work, DynamoDbClient dynamo) throws Exception {
        Instant now = Instant.now();
        quietEnds =
                now.plus(Duration.ofSeconds(70)).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        LocalTime to = LocalTime.ofInstant(quietEnds, ZoneOffset.UTC);
        LocalTime from = to.minusHours(3);
        PreferencesCodec codec = new PreferencesCodec();
        String template = """
                {"receivers": {"chat": "telegram:%s", "work": "mailto:%s"},
                 "quietHours": {"from": "%s", "to": "%s", "timeZone": "UTC", "breakThrough": ["FAIL"]}}""";
        String prefs = template.formatted(CHAT, WORK_ADDRESS, from, to);
        new DynamoPreferencesStore(dynamo, HeraldInstallation.STATUS_TABLE)
                .save(((PreferencesCodec.Valid) codec.read(user, codec.parse(prefs), Set.of("email", "telegram")))
                        .preferences()
                        .savedAt(now, "slurm-e2e"));
        Progress.say("preferences of " + user + ": quiet hours " + from + "-" + to + " UTC, FAIL breaks through");
        for (int i = 1; i <= 3; i++) {
            quietJobs.add(sbatch(cluster, work, "quiet-" + i, "--mail-type=END", "--wrap", "sleep 1"));
        }
        failJob = sbatch(cluster, work, "quiet-fail", "--mail-type=END,FAIL", "--wrap", "exit 3");
    }

    /**
     * /jobs once the FAIL is on the queue, before this test's other jobs (the same user) push it out of the newest 10
     * that /jobs shows.
     */
    void checkJobsListsTheFail(SoftAssertions softly, QueueMailbox mailbox) throws IOException {
        awaitOnQueue(
                mailbox,
                "FAIL of job " + failJob,
                Duration.ofSeconds(90),
                e -> failJob.equals(e.slurm() == null ? null : e.slurm().jobId()));
        String jobs = say("/jobs");
        softly.assertThat(jobs)
                .as("/jobs lists the linked user's notifications from Herald's records (item 5)")
                .startsWith("Recent notifications for " + user)
                .contains("job " + failJob + " quiet-fail: FAIL FAILED");
        Progress.say("/jobs answered: " + jobs.replace("\n", " | "));
    }

    /** The FAIL at once, the three ENDs as one digest per receiver when quiet ends, and /jobs listing them. */
    void check(SoftAssertions softly, QueueMailbox mailbox, DynamoDbClient dynamo) throws IOException {
        awaitOnQueue(
                mailbox,
                "FAIL of job " + failJob,
                Duration.ofSeconds(120),
                e -> failJob.equals(e.slurm() == null ? null : e.slurm().jobId()));
        List<Envelope> failed = mailbox.about(failJob);
        softly.assertThat(failed)
                .extracting(e -> e.slurm().mailType() + " " + e.channel() + ":" + e.target())
                .as("FAIL breaks through the quiet hours, to both preferred receivers (issue 19 items 1, 2)")
                .containsExactlyInAnyOrder("Failed telegram:" + CHAT, "Failed email:" + WORK_ADDRESS);
        Duration left = Duration.between(Instant.now(), quietEnds).plusSeconds(60);
        Progress.say("waiting up to " + Math.max(0, left.toSeconds()) + " s for the quiet hours' digest");
        try {
            Awaitility.await("a digest per receiver")
                    .atMost(left.isNegative() ? Duration.ofSeconds(30) : left)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> digests(mailbox).size() >= 2);
        } catch (ConditionTimeoutException e) {
            Progress.say("no quiet-hours digest within a minute after the quiet hours ended");
        }
        List<Envelope> digests = digests(mailbox);
        softly.assertThat(digests)
                .extracting(e -> e.channel() + ":" + e.target())
                .as("one digest per preferred receiver when the quiet hours end (issue 19 item 6)")
                .containsExactlyInAnyOrder("telegram:" + CHAT, "email:" + WORK_ADDRESS);
        for (Envelope d : digests) {
            softly.assertThat(d.content().title())
                    .as("digest to %s folds three", d.target())
                    .startsWith("3 ");
            for (String job : quietJobs) {
                softly.assertThat(d.content().text())
                        .as("digest to %s names job %s", d.target(), job)
                        .contains("- " + job + " (quiet-");
            }
            softly.assertThat(d.content().text())
                    .as("the FAIL is not in the digest")
                    .doesNotContain("quiet-fail");
        }
        for (String job : quietJobs) {
            softly.assertThat(mailbox.about(job))
                    .as("job %s is not sent on its own in quiet hours", job)
                    .isEmpty();
        }
        softly.assertThat(
                        new DynamoRecentJobs(dynamo, HeraldInstallation.STATUS_TABLE, Duration.ofDays(1)).recent(user))
                .as("the digest's jobs in the forwarder's list behind /jobs (item 5)")
                .filteredOn(n -> quietJobs.contains(n.jobId()))
                .hasSize(3)
                .allMatch(n -> "quiet".equals(n.digest()) && n.event().equals("END"));
        String jobs = say("/jobs");
        softly.assertThat(jobs)
                .as("/jobs lists the linked user's notifications from Herald's records (item 5)")
                .startsWith("Recent notifications for " + user)
                .contains("job " + quietJobs.getFirst() + " quiet-1: END COMPLETED");
        Progress.say("/jobs answered: " + jobs.replace("\n", " | "));
        String last = say("/last");
        softly.assertThat(last)
                .as("/last shows the newest in detail")
                .startsWith("Job ")
                .contains("cluster: " + LocalSlurmCluster.CLUSTER)
                .contains("event: ");
        Progress.say("/last answered: " + last.replace("\n", " | "));
    }

    private static List<Envelope> digests(QueueMailbox mailbox) {
        return mailbox.poll().stream()
                .filter(e -> e.slurm() == null && e.content().title().contains("notifications"))
                .toList();
    }

    private static Optional<Envelope> awaitOnQueue(
            QueueMailbox mailbox, String what, Duration atMost, java.util.function.Predicate<Envelope> match) {
        try {
            Awaitility.await(what + " on the queue")
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> mailbox.poll().stream().anyMatch(match));
        } catch (ConditionTimeoutException e) {
            Progress.say(what + " did not reach the queue within " + atMost.toSeconds() + " s");
        }
        return mailbox.poll().stream().filter(match).findFirst();
    }

    private String sbatch(LocalSlurmCluster cluster, Path work, String label, String... options) {
        List<String> argv = new ArrayList<>(
                List.of("sbatch", "--parsable", "--job-name=" + label, "--output=" + work.resolve("%x-%j.out")));
        argv.addAll(List.of(options));
        String out = cluster.slurmAs(user, work, argv).stdoutOrThrow().strip();
        String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        Progress.say("submitted " + label + " as job " + id + ": " + String.join(" ", options));
        return id;
    }

    String describe() {
        return "quiet jobs " + quietJobs.stream().collect(Collectors.joining(", ")) + ", fail job " + failJob;
    }

    @Override
    public void close() {
        telegram.stop();
    }
}
