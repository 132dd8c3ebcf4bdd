package io.herald.core.dynamo;

import io.herald.core.aws.CredentialChains;
import io.herald.core.config.HeraldConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the AWS SDK's DynamoDB client for the status table, on AWS or any DynamoDB-compatible endpoint. */
public final class DynamoDbClients {

    /**
     * Status calls sit in the path of API requests: a slow table must cost a request a second or two, not the SDK's
     * default of waiting as long as the connection lives.
     */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private DynamoDbClients() {}

    public static DynamoDbClient create(HeraldConfig.Status config) {
        return create(config, List.of());
    }

    /** @param interceptors see each request the client makes (counting them, for one) */
    public static DynamoDbClient create(HeraldConfig.Status config, List<ExecutionInterceptor> interceptors) {
        return create(config, interceptors, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    /**
     * A client whose calls may take longer: for tests against DynamoDB Local on a machine other builds keep busy, where
     * the timeouts only stop a hang. One attempt may take the whole call, so a slow write is not retried into a
     * conditional failure on its own first attempt's item.
     */
    public static DynamoDbClient createPatient(HeraldConfig.Status config, Duration callTimeout) {
        return create(config, List.of(), callTimeout, callTimeout);
    }

    private static DynamoDbClient create(
            HeraldConfig.Status config,
            List<ExecutionInterceptor> interceptors,
            Duration attemptTimeout,
            Duration callTimeout) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(config.region()))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(callTimeout)
                        .executionInterceptors(interceptors))
                .httpClientBuilder(
                        ApacheHttpClient.builder().maxConnections(100).connectionTimeout(Duration.ofSeconds(2)));
        String endpoint = config.endpoint() == null ? "" : config.endpoint().strip();
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        // DynamoDB Local accepts any signature, but only access key ids of letters and digits.
        builder.credentialsProvider(CredentialChains.forEndpoint(endpoint, "heraldlocal"));
        return builder.build();
    }
}
