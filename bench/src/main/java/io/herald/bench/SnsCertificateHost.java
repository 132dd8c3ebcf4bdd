package io.herald.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SNS's part: an RSA key and self-signed certificate for 127.0.0.1 made by the JDK's keytool, the certificate served
 * over TLS with that same key (as SNS serves its signing certificate) by the JDK's own HTTPS server.
 */
final class SnsCertificateHost implements AutoCloseable {

    private static final String PASSWORD = "fbdrill-only";

    private final HttpsServer server;
    private final PrivateKey signingKey;
    private final SSLContext clientTrust;
    private final AtomicInteger fetches = new AtomicInteger();

    private SnsCertificateHost(HttpsServer server, PrivateKey signingKey, SSLContext clientTrust) {
        this.server = server;
        this.signingKey = signingKey;
        this.clientTrust = clientTrust;
    }

    static SnsCertificateHost start(Path dir) throws Exception {
        Path store = dir.resolve("sns.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "sns",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=sns.fbdrill",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool could not make the SNS signing key: " + output.strip());
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("sns", PASSWORD.toCharArray());
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("sns");

        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sns", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trustManagers.getTrustManagers(), null);

        byte[] pem = ("-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        SnsCertificateHost host = new SnsCertificateHost(server, key, clientContext);
        server.createContext(FeedbackDrill.CERT_PATH, exchange -> {
            host.fetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-pem-file");
            exchange.sendResponseHeaders(200, pem.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(pem);
            }
        });
        server.start();
        return host;
    }

    SSLContext clientTrust() {
        return clientTrust;
    }

    String certificateUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + FeedbackDrill.CERT_PATH;
    }

    int fetches() {
        return fetches.get();
    }

    /** SignatureVersion 2: SHA256withRSA over the Notification's fields in SNS's order. */
    String sign(String message, String messageId, String timestamp) throws Exception {
        String toSign = "Message\n" + message + "\nMessageId\n" + messageId + "\nTimestamp\n" + timestamp
                + "\nTopicArn\n" + FeedbackDrill.TOPIC + "\nType\nNotification\n";
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(signingKey);
        signer.update(toSign.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
