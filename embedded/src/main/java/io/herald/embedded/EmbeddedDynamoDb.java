package io.herald.embedded;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process DynamoDB (Amazon's DynamoDB Local) for local mode, serve mode and tests: a real engine with conditional
 * writes, spoken to by the real AWS SDK through an endpoint override. In memory, or with {@link #startPersistent} in
 * one SQLite file whatever credentials and region the clients use.
 *
 * <p>The server is assembled from DynamoDB Local's own parts, as its {@code ServerRunner} does, rather than through its
 * command line, for three reasons: it then listens on loopback only (the command line binds every interface), it can
 * take a free port (0) and report it, and its usage telemetry, which the command line switches on by default, is never
 * configured, so nothing tries to reach outside this machine.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDynamoDb.class);
    private static final String HOST = "127.0.0.1";

    private final DynamoDBProxyServer server;
    private final LocalDynamoDBRequestHandler requests;
    private final URI endpoint;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, LocalDynamoDBRequestHandler requests, URI endpoint) {
        this.server = server;
        this.requests = requests;
        this.endpoint = endpoint;
    }

    /**
     * @param port the port to listen on, or 0 for a free one
     * @throws IllegalStateException when the server cannot start, e.g. the port is taken
     */
    public static EmbeddedDynamoDb start(int port) {
        LocalDynamoDBRequestHandler requests;
        try {
            // (no rate limiting, in memory, no db path, not shared between access keys, no artificial delays)
            requests = new LocalDynamoDBRequestHandler(0, true, null, false, false);
        } catch (Exception e) {
            throw new IllegalStateException("embedded DynamoDB cannot start: " + rootMessage(e), e);
        }
        return listen(requests, port);
    }

    /**
     * Tables kept in {@code directory/shared-local-instance.db} (SQLite), there again at the next start.
     *
     * @param port the port to listen on, or 0 for a free one
     * @param directory an existing, writable directory
     */
    public static EmbeddedDynamoDb startPersistent(int port, Path directory) {
        LocalDynamoDBRequestHandler requests;
        try {
            // (no rate limiting, on disk under directory, one file shared by all access keys, no artificial delays)
            requests = new LocalDynamoDBRequestHandler(
                    0, false, directory.toAbsolutePath().toString(), true, false);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "embedded DynamoDB cannot open its store in " + directory + ": " + rootMessage(e), e);
        }
        return listen(requests, port);
    }

    private static EmbeddedDynamoDb listen(LocalDynamoDBRequestHandler requests, int port) {
        LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(requests, null);
        DynamoDBProxyServer server = new DynamoDBProxyServer(port, handler);
        // The proxy made its Jetty server and hung the handler in it; reach the server through the handler.
        Server jetty = handler.getServer();
        ServerConnector connector = null;
        for (Connector c : jetty.getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setHost(HOST);
                connector = sc;
            }
        }
        if (connector == null) {
            requests.shutdown();
            throw new IllegalStateException("embedded DynamoDB has no network connector to bind to " + HOST);
        }
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server, requests);
            throw new IllegalStateException(
                    "embedded DynamoDB cannot listen on " + HOST + ":" + port + ": " + rootMessage(e), e);
        }
        return new EmbeddedDynamoDb(server, requests, URI.create("http://" + HOST + ":" + connector.getLocalPort()));
    }

    /** The URL to give as {@code status.endpoint}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** Stops listening; in memory every table is dropped, on disk they stay for the next start. */
    @Override
    public void close() {
        stopQuietly(server, requests);
    }

    private static void stopQuietly(DynamoDBProxyServer server, LocalDynamoDBRequestHandler requests) {
        try {
            server.stop();
        } catch (Exception e) {
            log.debug("embedded DynamoDB stop failed", e);
        }
        requests.shutdown();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
