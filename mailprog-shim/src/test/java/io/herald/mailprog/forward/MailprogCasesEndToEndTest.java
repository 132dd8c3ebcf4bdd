package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.envelope.Envelope;
import io.herald.core.receiver.ReceiverParser;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Fixtures.Case;
import io.herald.mailprog.Shim;
import io.herald.mailprog.slurm.MailType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of shared/slurm/mailprog_cases.json, the whole way: herald-mailprog under dash with the case's exact argv
 * and environment → spool → forwarder (fake sacct) → ElasticMQ → envelopes.
 */
class MailprogCasesEndToEndTest {

    private static EmbeddedSqs sqs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start(0);
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    static Stream<Case> cases() {
        return Fixtures.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCaseReachesSqsWithTheRightReceiversMailTypeAndJob(Case c) throws Exception {
        try (Harness h = new Harness(dir, sqs.endpoint().toString(), UnaryOperator.identity())) {
            h.provision();
            h.drain();
            Shim.Result captured = h.shim.run(c.args(), c.envEntries());
            assertThat(captured.exitCode()).as(captured.stderr()).isZero();

            PassResult pass;
            try (Forwarder forwarder = h.forwarder(Clock.systemUTC())) {
                pass = forwarder.pass(true);
            }
            List<Envelope> envelopes = h.drain();

            if (c.id().equals("argv-too-few-robustness")) {
                assertThat(envelopes).isEmpty();
                assertThat(pass.failed()).isEqualTo(1);
                assertThat(h.failed()).hasSize(1);
                assertThat(Files.readString(Path.of(h.failed().getFirst() + ".reason")))
                        .contains("argv has 2 arguments");
                return;
            }
            assertThat(pass.delivered()).as(pass.toString()).isEqualTo(1);
            assertThat(h.shim.records())
                    .as("spool record removed once SQS acknowledged it")
                    .isEmpty();
            assertThat(envelopes)
                    .extracting(e -> e.channel() + ":" + e.target())
                    .containsExactlyInAnyOrderElementsOf(expectedReceivers(c));
            JsonNode spooled = c.expect().path("slurm_mail_spool");
            for (Envelope e : envelopes) {
                assertThat(e.slurm().jobId()).isEqualTo(spooled.path("job_id").asText());
                assertThat(MailType.fromSubjectWord(e.slurm().mailType()))
                        .map(Enum::name)
                        .contains(c.expect().path("mail_type_flag").asText());
                assertThat(e.slurm().name()).isEqualTo(expectedName(c));
                assertThat(e.origin().kind()).isEqualTo("slurm");
                assertThat(e.origin().cluster()).isEqualTo("hpc1");
                assertThat(e.category())
                        .as("Slurm mail is one unsubscribe category per cluster")
                        .isEqualTo("slurm:hpc1");
                assertThat(e.origin().principal()).isEqualTo(c.env().get("SLURM_JOB_USER"));
                assertThat(e.content().title())
                        .contains(
                                spooled.path("array_summary").asBoolean()
                                        ? spooled.path("job_id").asText()
                                        : displayId(c));
                assertThat(e.content().text()).startsWith(e.content().title());
            }
            if (c.id().equals("receivers-malformed")) {
                String text = envelopes.getFirst().content().text();
                assertThat(text)
                        .contains(
                                "Not sent to:",
                                "item 1 ''",
                                "item 2 'msteams:'",
                                "item 3 '::'",
                                "item 4 ':xxx'",
                                "telegram target 'not-a-number'",
                                "item 8 'msteams:::'",
                                "unknown scheme 'unknown'",
                                "item 11 'mailto:a@b.org;c@d.org'");
            }
        }
    }

    /** The receivers goslmailer would use, as Herald reads them: trimmed, checked, bare names with the mail domain. */
    private static List<String> expectedReceivers(Case c) {
        if (c.id().equals("receivers-malformed")) {
            // goslmailer keeps ' mailto', 'telegram:not-a-number', 'unknown:foo' and 'a@b.org;c@d.org'
            // and fails on them later; Herald trims the first and reports the other three up front.
            return List.of("email:x@y.org", "slack:C0123", "matrix:!room:server.org");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode pair : c.expect().path("goslmailer_receivers")) {
            String scheme = pair.get(0).asText().replace("<defaultconnector>", "mailto");
            String target = pair.get(1).asText();
            if (scheme.equals("mailto") && !target.contains("@")) {
                target = target + "@example.org";
            }
            out.add(ReceiverParser.STANDARD_SCHEMES.get(scheme).channel() + ":" + target);
        }
        return out;
    }

    private static String expectedName(Case c) {
        String fromEnv = c.env().get("SLURM_JOB_NAME");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        return c.expect().path("goslmailer_subject_fallback").path("job_name").asText();
    }

    private static String displayId(Case c) {
        String array = c.env().get("SLURM_ARRAY_JOB_ID");
        String task = c.env().get("SLURM_ARRAY_TASK_ID");
        return array != null && task != null
                ? array + "_" + task
                : c.expect().path("slurm_mail_spool").path("job_id").asText();
    }
}
