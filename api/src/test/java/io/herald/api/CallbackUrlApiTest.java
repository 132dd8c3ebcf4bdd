package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.callback.CallbackTargets;
import io.herald.core.envelope.Envelope;
import io.herald.core.status.StatusUpdate;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code callbackUrl} on {@code POST /v1/notifications}: refused at request time (400 on the field) when Herald may not
 * post there, carried by every message and kept with its status when it may. The one stand-in is DNS for the name
 * {@code hooks.example.com} (the guard's resolver seam): a test must not ask the network, nor can it make a public name
 * resolve to 10.0.0.7.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallbackUrlApiTest {

    private ApiTestbed bed;

    @BeforeAll
    void start() {
        bed = new ApiTestbed();
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    private static String request(String callbackUrl) {
        return """
                {"to": "telegram:1, telegram:2", "text": "Job 7 ended", "callbackUrl": "%s"}""".formatted(callbackUrl);
    }

    private static CallbackTargets dns(String address, boolean allowPrivate) {
        return new CallbackTargets(allowPrivate, host -> new InetAddress[] {InetAddress.getByName(address)});
    }

    @Test
    void aUrlWhoseHostIsPrivateIsRefusedWith400OnTheFieldWithoutEchoingItsToken() throws Exception {
        HeraldApi api = bed.start(b -> b.callbacks(dns("10.0.0.7", false), Map.of()));

        ApiTestbed.Answer answer =
                bed.post(api, "/v1/notifications", request("https://hooks.example.com/h?token=s3cret"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors()).containsOnlyKeys("callbackUrl");
        assertThat(answer.errors().get("callbackUrl"))
                .contains("hooks.example.com")
                .contains("private")
                .doesNotContain("s3cret");
    }

    @Test
    void loopbackIsRefusedToo() throws Exception {
        HeraldApi api = bed.start(b -> b.callbacks(new CallbackTargets(false), Map.of()));

        ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", request("http://127.0.0.1:8080/admin"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors().get("callbackUrl")).contains("loopback");
    }

    @Test
    void aUrlIsRefusedWhileCallbacksAreOff() throws Exception {
        HeraldApi api = bed.start(b -> b);

        ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", request("https://hooks.example.com/h"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors().get("callbackUrl")).contains("callbacks.secret");
    }

    @Test
    void aUrlThatIsNotHttpIsAnInvalidField() throws Exception {
        HeraldApi api = bed.start(b -> b.callbacks(new CallbackTargets(true), Map.of()));

        ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", request("gopher://hooks.example.com/h"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errors().get("callbackUrl")).contains("http or https");
    }

    @Test
    void anAllowedUrlTravelsWithEveryMessageAndIsKeptWithItsStatus() throws Exception {
        var queues = bed.freshQueues(1);
        HeraldApi api =
                bed.start(ApiTestbed.DEFAULT_API, queues, b -> b.callbacks(dns("93.184.215.14", false), Map.of()));
        String url = "https://hooks.example.com/h?token=s3cret";

        ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", request(url));

        assertThat(answer.status()).isEqualTo(202);
        List<Envelope> onQueue = bed.drain(queues.getFirst(), 2);
        assertThat(onQueue).extracting(Envelope::callbackUrl).containsOnly(url);
        for (Envelope e : onQueue) {
            assertThat(bed.statusStore(Clock.systemUTC()).find(e.id()))
                    .map(StatusUpdate::callbackUrl)
                    .contains(url);
        }
        // The status a client reads never shows the URL (it may hold the receiver's token).
        ApiTestbed.Answer status =
                bed.get(api, "/v1/notifications/" + onQueue.getFirst().id());
        assertThat(status.text()).doesNotContain("s3cret").doesNotContain("hooks.example.com");
    }

    @Test
    void aRequestWithoutAUrlGetsItsKeysDefault() throws Exception {
        var queues = bed.freshQueues(1);
        String url = "https://hooks.example.com/default";
        HeraldApi api = bed.start(
                ApiTestbed.DEFAULT_API,
                queues,
                b -> b.callbacks(dns("93.184.215.14", false), Map.of(Caller.ANONYMOUS.name(), url)));

        ApiTestbed.Answer answer = bed.post(api, "/v1/notifications", "{\"to\": \"telegram:3\", \"text\": \"hello\"}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(bed.drain(queues.getFirst(), 1))
                .extracting(Envelope::callbackUrl)
                .containsOnly(url);
    }
}
