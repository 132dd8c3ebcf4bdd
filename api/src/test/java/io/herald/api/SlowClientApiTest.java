package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Finding 4 of the security review (issue 15): slow clients pinned memory. A body buffer was allocated at the declared
 * Content-Length before a byte arrived, and a client trickling a byte now and then could hold its request open for as
 * long as it liked. Raw sockets here, because an HTTP client library would not misbehave on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientApiTest {

    /** Far below what any real client sends, far above the trickle below. */
    private static final int MIN_RATE = 4096;

    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final String LIMITS = "idleTimeout: 2s, minRequestDataRate: " + MIN_RATE;

    private ApiTestbed bed;
    private HeraldApi api;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
        HeraldConfig.Api config = ApiTestbed.api(LIMITS);
        api = bed.start(config, bed.freshQueues(1), b -> b);
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    /** Reads what the server says until it closes the connection; {@code closed} is counted down then. */
    private static Thread listen(Socket socket, AtomicReference<String> answer, CountDownLatch closed) {
        return Thread.ofVirtual().start(() -> {
            StringBuilder text = new StringBuilder();
            try (InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    answer.set(text.toString());
                }
            } catch (IOException reset) {
                // a reset is a close too
            }
            closed.countDown();
        });
    }

    @Test
    void aBodyTrickledBelowTheMinimumRateIsCutOffAndTheConnectionClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            AtomicReference<String> answer = new AtomicReference<>("");
            CountDownLatch closed = new CountDownLatch(1);
            listen(socket, answer, closed);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 200000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The client's pace, not a wait for the server: ~20 bytes a second, each gap well within the idle timeout.
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    while (closed.getCount() > 0) {
                        Thread.sleep(50);
                        out.write(' ');
                        out.flush();
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection: the point of the test
                }
            });

            // At 4 KiB/s a 200,000-byte body may take 49 s; a trickler is cut off long before.
            assertThat(closed.await(15, TimeUnit.SECONDS))
                    .as("closed by the server")
                    .isTrue();
            trickle.interrupt();
            assertThat(answer.get())
                    .as("answer, if any, before the close")
                    .satisfiesAnyOf(
                            a -> assertThat(a).isEmpty(),
                            a -> assertThat(a).startsWith("HTTP/1.1 408").contains("Request body arrived too slowly"));
        }
    }

    @Test
    void aClientThatStopsMidHeadersIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            AtomicReference<String> answer = new AtomicReference<>("");
            CountDownLatch closed = new CountDownLatch(1);
            listen(socket, answer, closed);
            socket.getOutputStream()
                    .write("POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(closed.await(IDLE.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS))
                    .as("closed by the server")
                    .isTrue();
        }
    }

    @Test
    void aLargeDeclaredLengthIsNotAllocatedBeforeTheBytesArrive() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int declared = 1_000_000;
        InputStream fewBytes =
                new SequenceInputStream(new ByteArrayInputStream(new byte[100]), InputStream.nullInputStream());

        readShort(new ByteArrayInputStream(new byte[100]), declared); // warm-up: classes loaded, code compiled

        long before = threads.getCurrentThreadAllocatedBytes();
        boolean cutShort = readShort(fewBytes, declared);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(cutShort).isTrue();
        assertThat(allocated)
                .as("bytes allocated reading 100 bytes of a declared %d", declared)
                .isLessThan(declared / 10);
    }

    /** @return whether the body was found shorter than declared, as it is here */
    private static boolean readShort(InputStream in, int declared) throws IOException {
        try {
            Intake.readDeclared(in, declared);
            return false;
        } catch (EOFException expected) {
            return true;
        }
    }

    @Test
    void aSmallBodyAnsweredSlowlyIsNotTakenForASlowUpload() throws Exception {
        // Jetty measures the rate on every read: reading again after the whole body arrived would count the time
        // spent answering (here: waiting on a status table that is not there) against the client.
        HeraldApi slowToAnswer = bed.start(
                ApiTestbed.api(LIMITS),
                bed.freshQueues(1),
                b -> b.statusStore(new io.herald.core.status.StatusStore() {
                    @Override
                    public void record(io.herald.core.status.StatusUpdate update) {}

                    @Override
                    public void recordNew(java.util.List<io.herald.core.status.StatusUpdate> updates) {
                        try {
                            Thread.sleep(500); // a status table far away: time spent answering, not uploading
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public java.util.Optional<io.herald.core.status.StatusUpdate> find(String messageId) {
                        return java.util.Optional.empty();
                    }
                }));

        assertThat(bed.post(slowToAnswer, "/v1/notifications", "{\"to\": \"telegram:1\", \"text\": \"hi\"}")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void aNormalRequestStillGoesThrough() throws Exception {
        assertThat(bed.post(
                                api,
                                "/v1/notifications",
                                "{\"to\": \"telegram:1\", \"text\": \"" + "x".repeat(50_000) + "\"}")
                        .status())
                .isEqualTo(202);
    }
}
