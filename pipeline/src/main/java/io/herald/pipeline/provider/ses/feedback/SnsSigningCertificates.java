package io.herald.pipeline.provider.ses.feedback;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The certificates SNS signs with, fetched from the envelope's SigningCertURL once each and kept: SNS rotates them
 * rarely and names each by its own URL. A URL is fetched only over https from a host SNS's own pattern allows
 * ({@code sns.<region>.amazonaws.com}), so a forged envelope cannot bring its own certificate; redirects are not
 * followed.
 */
final class SnsSigningCertificates {

    private final HttpClient http;
    private final Pattern allowedHosts;
    private final Duration timeout;
    private final Map<String, X509Certificate> cache = new ConcurrentHashMap<>();

    /**
     * @param http the client certificates are fetched with (it must not follow redirects)
     * @param allowedHosts host names the certificates may come from (the whole name must match)
     */
    SnsSigningCertificates(HttpClient http, Pattern allowedHosts, Duration timeout) {
        this.http = http;
        this.allowedHosts = allowedHosts;
        this.timeout = timeout;
    }

    /**
     * The certificate at {@code url}.
     *
     * @throws UnusableFeedback when the URL may not be trusted or what it serves is no valid certificate
     * @throws IOException when it could not be fetched now (worth trying again later)
     */
    X509Certificate at(String url) throws UnusableFeedback, IOException {
        X509Certificate known = cache.get(url);
        if (known != null) {
            return known;
        }
        URI uri = trusted(url);
        HttpResponse<byte[]> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the SNS signing certificate", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the SNS signing certificate at " + url + " answered HTTP " + response.statusCode());
        }
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(response.body()));
            certificate.checkValidity();
        } catch (CertificateException | ClassCastException e) {
            throw new UnusableFeedback(
                    "SigningCertURL " + url + " serves no valid X.509 certificate: " + e.getMessage());
        }
        cache.put(url, certificate);
        return certificate;
    }

    private URI trusted(String url) throws UnusableFeedback {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UnusableFeedback("SigningCertURL is not a URL: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new UnusableFeedback("SigningCertURL " + url + " is not https");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (uri.getUserInfo() != null || !allowedHosts.matcher(host).matches()) {
            throw new UnusableFeedback("SigningCertURL " + url + " is not on an SNS host (" + allowedHosts + ")");
        }
        return uri;
    }
}
