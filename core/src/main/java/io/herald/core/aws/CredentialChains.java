package io.herald.core.aws;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The credentials every AWS client of Herald's uses, chosen by where the client talks to.
 *
 * <ul>
 *   <li>no endpoint (real AWS): the SDK's default chain, the EC2 instance metadata included;
 *   <li>a loopback endpoint (ElasticMQ, DynamoDB Local): fixed placeholders, which they accept;
 *   <li>any other endpoint (a VPC endpoint, a proxy, an SQS-compatible server): the default chain without the EC2
 *       instance metadata, whose address (169.254.169.254) answers nothing off EC2, so a missing credential would cost
 *       seconds of retries there instead of failing at once.
 * </ul>
 *
 * Whichever chain finds nothing fails with one short line naming where credentials may come from, not the SDK's
 * paragraph listing every provider it asked.
 */
public final class CredentialChains {

    /** What a chain that found nothing says. */
    public static final String MISSING = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            + "or AWS_PROFILE naming a profile in ~/.aws/credentials";

    private CredentialChains() {}

    /**
     * @param endpoint the configured endpoint override, or null/blank for AWS itself
     * @param localKey the placeholder access key for a loopback endpoint (DynamoDB Local wants letters and digits)
     */
    public static AwsCredentialsProvider forEndpoint(String endpoint, String localKey) {
        String given = endpoint == null ? "" : endpoint.strip();
        if (given.isEmpty()) {
            return oneLine(DefaultCredentialsProvider.builder().build());
        }
        if (isLoopback(URI.create(given).getHost())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(localKey, localKey));
        }
        return oneLine(AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .credentialsProviders(
                        SystemPropertyCredentialsProvider.create(),
                        EnvironmentVariableCredentialsProvider.create(),
                        WebIdentityTokenFileCredentialsProvider.create(),
                        ProfileCredentialsProvider.create(),
                        // ECS and Fargate tasks: only asked when AWS_CONTAINER_CREDENTIALS_* says where.
                        ContainerCredentialsProvider.builder().build())
                .build());
    }

    /** Whether a host is this machine: an endpoint there is one of Herald's local stand-ins. */
    public static boolean isLoopback(String host) {
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

    private static AwsCredentialsProvider oneLine(AwsCredentialsProvider chain) {
        return new AwsCredentialsProvider() {
            @Override
            public AwsCredentials resolveCredentials() {
                try {
                    return chain.resolveCredentials();
                } catch (SdkClientException e) {
                    // The SDK's text lists every provider and its failure, and callers report the root
                    // cause: so no cause is kept, only the line that says what to do.
                    throw SdkClientException.builder().message(MISSING).build();
                }
            }

            @Override
            public String toString() {
                return "Herald(" + chain + ")";
            }
        };
    }
}
