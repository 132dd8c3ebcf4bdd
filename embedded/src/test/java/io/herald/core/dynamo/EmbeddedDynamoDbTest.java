package io.herald.core.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.status.StatusTable;
import io.herald.embedded.EmbeddedDynamoDb;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class EmbeddedDynamoDbTest {

    @Test
    void freePortIsChosenAndTheSdkCanCreateAndDescribeATable() {
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0);
                DynamoDbClient client =
                        DynamoDbClients.create(DynamoTesting.statusConfig(dynamo.endpoint(), "unused"))) {
            assertThat(dynamo.port()).isPositive();
            assertThat(dynamo.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + dynamo.port()));

            StatusTable.createIfMissing(client, "herald-status");
            StatusTable.createIfMissing(client, "herald-status");

            assertThat(StatusTable.problem(client, "herald-status")).isEmpty();
            assertThat(StatusTable.problem(client, "missing-table"))
                    .hasValueSatisfying(p -> assertThat(p).contains("does not exist"));
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        InetAddress other = nonLoopbackAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no non-loopback address");
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0);
                Socket socket = new Socket()) {
            // Connecting to our own non-loopback address never leaves the machine.
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other, dynamo.port()), 2000))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedDynamoDb.start(busy.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + busy.getLocalPort());
        }
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        var interfaces = java.net.NetworkInterface.getNetworkInterfaces();
        while (interfaces.hasMoreElements()) {
            var addresses = interfaces.nextElement().getInetAddresses();
            while (addresses.hasMoreElements()) {
                InetAddress address = addresses.nextElement();
                if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
                    return address;
                }
            }
        }
        return null;
    }
}
