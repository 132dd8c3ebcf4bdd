package io.herald.pipeline.provider;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;

/** WireMock fakes of provider APIs, on 127.0.0.1 only. */
public final class Fakes {

    /**
     * The send timeout of providers whose sends should succeed. It only stops a hang: with 2-3 s, a first request to a
     * fresh fake (Jetty threads, JIT) could time out on a machine other builds keep busy.
     */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private Fakes() {}

    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(16)
                .jettyAcceptors(1)
                .asynchronousResponseEnabled(false));
        server.start();
        return server;
    }

    public static String baseUrl(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }
}
