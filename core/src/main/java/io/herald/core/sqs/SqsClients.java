package io.herald.core.sqs;

import io.herald.core.config.HeraldConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/** Builds the AWS SDK's SQS client from configuration, for AWS or any SQS-compatible endpoint. */
public final class SqsClients {

    private SqsClients() {
    }

    /** @param interceptors see every request and response, e.g. to count SQS requests by action */
    public static SqsClient create(HeraldConfig.Sqs config, ExecutionInterceptor... interceptors) {
        SqsClientBuilder builder = SqsClient.builder()
                .overrideConfiguration(o -> List.of(interceptors).forEach(o::addExecutionInterceptor))
                .region(Region.of(config.region()))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(config.maxConnections())
                        // Long polls hold a request open for up to 20 s; the socket must outlast them.
                        .socketTimeout(Duration.ofSeconds(30))
                        .connectionTimeout(Duration.ofSeconds(5)));
        String endpoint = config.endpoint() == null ? "" : config.endpoint().strip();
        if (!endpoint.isEmpty()) {
            URI uri = URI.create(endpoint);
            builder.endpointOverride(uri);
            builder.credentialsProvider(credentialsFor(uri));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /**
     * A loopback endpoint is an embedded or local SQS that accepts any signature, so it gets fixed
     * placeholder credentials; anything else (a VPC endpoint, a proxy) gets the real AWS chain.
     */
    private static AwsCredentialsProvider credentialsFor(URI endpoint) {
        if (isLoopback(endpoint.getHost())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("herald-local", "herald-local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
