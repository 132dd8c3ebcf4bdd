package io.herald.pipeline.provider.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * SES v2 {@code SendEmail} (REST-JSON, {@code POST /v2/email/outbound-emails}) as one signed HTTP request: the AWS
 * SDK's own SigV4 signer, an Apache HTTP client, Jackson. The SDK's SesV2Client did the same request through its
 * generic pipeline of stages, interceptors, metrics and endpoint rules, which the pipeline's profile showed at about 45
 * % of its CPU with providers answering at once (three times a SendGrid send); this keeps the request on the wire the
 * same and does only what one operation needs. No retries: a failed send goes back to the pipeline.
 */
final class SesApi implements AutoCloseable {

    static final String PATH = "/v2/email/outbound-emails";

    private final URI uri;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final CloseableHttpClient http;
    private final ObjectMapper json;

    /**
     * What SES answered: the status, and for an error its type (x-amzn-ErrorType, e.g. MessageRejected) and message.
     */
    record Answer(int status, String messageId, String errorType, String errorMessage) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * @param endpoint the API's base URL, or blank for SES in {@code region}
     * @param maxConnections the pool's size: the most sends made at once
     */
    SesApi(
            String endpoint,
            String region,
            AwsCredentialsProvider credentials,
            Duration timeout,
            int maxConnections,
            ObjectMapper json) {
        String base =
                endpoint.isBlank() ? defaultEndpoint(region) : endpoint.strip().replaceAll("/+$", "");
        this.uri = URI.create(base + PATH);
        this.region = region;
        this.credentials = credentials;
        this.json = json;
        int millis = (int) timeout.toMillis();
        this.http = HttpClients.custom()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(millis)
                        .setSocketTimeout(millis)
                        .setConnectionRequestTimeout(millis)
                        .build())
                .setMaxConnPerRoute(maxConnections)
                .setMaxConnTotal(maxConnections)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .useSystemProperties()
                .build();
    }

    /** SES v2's regional endpoint, as the SDK resolves it for the standard and China partitions. */
    static String defaultEndpoint(String region) {
        return "https://email." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    }

    /**
     * Sends the request body (SendEmail's JSON) and reads the answer.
     *
     * @throws IOException when SES was not reached or its answer could not be read
     */
    Answer send(JsonNode request) throws IOException {
        byte[] body = json.writeValueAsBytes(request);
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ses")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpPost post = new HttpPost(uri);
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            // Apache sets Host and Content-Length itself, from the URI and the entity: the same values.
            if (!header.getKey().equalsIgnoreCase("Content-Length")
                    && !header.getKey().equalsIgnoreCase("Host")) {
                header.getValue().forEach(v -> post.addHeader(header.getKey(), v));
            }
        }
        post.setEntity(new ByteArrayEntity(body));
        try (CloseableHttpResponse response = http.execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            String text = response.getEntity() == null
                    ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            JsonNode tree = parse(text);
            if (status / 100 == 2) {
                return new Answer(status, tree.path("MessageId").asText(""), null, null);
            }
            return new Answer(
                    status,
                    null,
                    errorType(
                            response.getFirstHeader("x-amzn-ErrorType") == null
                                    ? null
                                    : response.getFirstHeader("x-amzn-ErrorType")
                                            .getValue(),
                            tree),
                    errorMessage(tree));
        }
    }

    private JsonNode parse(String text) {
        try {
            JsonNode tree = json.readTree(text.isBlank() ? "{}" : text);
            return tree == null ? json.createObjectNode() : tree;
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /**
     * The error's name as the SDK reads it: the x-amzn-ErrorType header, else the body's {@code __type} or
     * {@code code}, without the "namespace#" prefix and the ":http://..." suffix.
     */
    static String errorType(String header, JsonNode body) {
        String raw = header != null && !header.isBlank()
                ? header
                : body.hasNonNull("__type")
                        ? body.path("__type").asText()
                        : body.hasNonNull("code") ? body.path("code").asText() : "";
        int colon = raw.indexOf(':');
        String type = colon >= 0 ? raw.substring(0, colon) : raw;
        int hash = type.lastIndexOf('#');
        return (hash >= 0 ? type.substring(hash + 1) : type).strip();
    }

    private static String errorMessage(JsonNode body) {
        for (String field : List.of("message", "Message", "errorMessage")) {
            if (body.hasNonNull(field)) {
                return body.path(field).asText();
            }
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
