package io.herald.pipeline.provider;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** WireMock fakes of provider APIs, on 127.0.0.1 only. */
public final class Fakes {

    private Fakes() {
    }

    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16).jettyAcceptors(1).asynchronousResponseEnabled(false));
        server.start();
        return server;
    }

    public static String baseUrl(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }
}
