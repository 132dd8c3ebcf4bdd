package io.herald.core.sqs;

import io.herald.core.aws.CredentialChains;
import io.herald.core.config.HeraldConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** Builds the AWS SDK's SQS client from configuration, for AWS or any SQS-compatible endpoint. */
public final class SqsClients {

    private SqsClients() {}

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
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.credentialsProvider(CredentialChains.forEndpoint(endpoint, "herald-local"));
        return builder.build();
    }
}
