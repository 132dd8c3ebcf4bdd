package io.herald.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Which credentials Herald's AWS clients use. The EC2 instance-metadata address is pointed (by the SDK's own system
 * property) at a loopback listener, so the test sees whether the SDK would ask it.
 */
class CredentialChainsTest {

    private static final List<String> PROPERTIES = List.of(
            "aws.ec2MetadataServiceEndpoint",
            "aws.sharedCredentialsFile",
            "aws.configFile",
            "aws.accessKeyId",
            "aws.secretAccessKey");

    @TempDir
    Path dir;

    private final Map<String, String> saved = new HashMap<>();
    private ServerSocketChannel metadata;

    @BeforeEach
    void noCredentialsAnywhere() throws Exception {
        for (String env : List.of(
                "AWS_ACCESS_KEY_ID",
                "AWS_PROFILE",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            assumeTrue(System.getenv(env) == null, env + " is set here, so credentials would be found");
        }
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
        PROPERTIES.forEach(System::clearProperty);
        metadata = ServerSocketChannel.open();
        metadata.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        metadata.configureBlocking(false);
        System.setProperty(
                "aws.ec2MetadataServiceEndpoint",
                "http://127.0.0.1:" + metadata.socket().getLocalPort());
        System.setProperty(
                "aws.sharedCredentialsFile", dir.resolve("no-credentials").toString());
        System.setProperty("aws.configFile", dir.resolve("no-config").toString());
    }

    @AfterEach
    void restore() throws Exception {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        if (metadata != null) {
            metadata.close();
        }
    }

    @Test
    void withAnEndpointAndNoCredentialsItFailsInOneLineWithoutAskingTheEc2Metadata() throws Exception {
        // A documentation address (TEST-NET-1): never contacted, credentials are looked up first.
        var provider = CredentialChains.forEndpoint("http://192.0.2.1:9324", "x");

        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOf(SdkClientException.class)
                .hasMessage(CredentialChains.MISSING);
        assertThat(metadata.accept())
                .as("a connection to the EC2 metadata address")
                .isNull();
    }

    @Test
    void credentialsFromTheEnvironmentOrPropertiesAreUsedWithAnEndpoint() {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI");

        AwsCredentials found =
                CredentialChains.forEndpoint("http://192.0.2.1:9324", "x").resolveCredentials();

        assertThat(found.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    }

    @Test
    void aLoopbackEndpointGetsThePlaceholders() {
        assertThat(CredentialChains.forEndpoint("http://127.0.0.1:9324", "heraldlocal")
                        .resolveCredentials()
                        .accessKeyId())
                .isEqualTo("heraldlocal");
    }
}
