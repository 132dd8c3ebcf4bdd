package io.herald.mailprog.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.envelope.Envelope;
import io.herald.embedded.EmbeddedSqs;
import io.herald.mailprog.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job whose --mail-user names nothing usable still reaches its owner, told what was not used and why. */
class DefaultReceiverEndToEndTest {

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

    private static PassResult captureAndForward(Harness h, String mailUser) throws Exception {
        Fixtures.Case c = Fixtures.caseNamed("end-completed");
        List<String> args = new ArrayList<>(c.args());
        args.set(args.size() - 1, mailUser);
        assertThat(h.shim.run(args, c.envEntries()).exitCode()).isZero();
        try (Forwarder forwarder = h.forwarder(Clock.systemUTC())) {
            return forwarder.pass(true);
        }
    }

    @Test
    void anUnknownSchemeAndARefusedAddressGoToTheUsersDefaultReceiverWithTheReasons() throws Exception {
        try (Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withReceivers("example.org", List.of("mailto=.+@example\\.org")))) {
            h.provision();
            h.drain();

            PassResult pass = captureAndForward(h, "fax:555,mailto:alice@elsewhere.net");

            assertThat(pass.delivered()).isEqualTo(1);
            Envelope sent = h.drain().getFirst();
            assertThat(sent.channel() + ":" + sent.target()).isEqualTo("email:alice@example.org");
            assertThat(sent.content().text())
                    .contains(
                            "Not sent to:",
                            "fax:555",
                            "unknown scheme 'fax'",
                            "alice@elsewhere.net",
                            "not allowed by mailprog.allowList");
            assertThat(h.failed()).isEmpty();
        }
    }

    @Test
    void whenTheAllowListRefusesTheDefaultReceiverTooTheRecordIsSetAsideWithBothReasons() throws Exception {
        try (Harness h = new Harness(
                dir,
                sqs.endpoint().toString(),
                m -> m.withReceivers("example.org", List.of("mailto=.+@other\\.org")))) {
            h.provision();
            h.drain();

            PassResult pass = captureAndForward(h, "fax:555");

            assertThat(pass.failed()).isEqualTo(1);
            assertThat(h.drain()).isEmpty();
            Path failed = h.failed().getFirst();
            assertThat(Files.readString(failed.resolveSibling(failed.getFileName() + ".reason")))
                    .contains("unknown scheme 'fax'", "default receiver 'alice'", "allowList");
        }
    }
}
