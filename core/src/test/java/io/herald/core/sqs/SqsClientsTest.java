package io.herald.core.sqs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the SDK's MD5 check of message bodies is left off: only where the transport already guards the bytes. */
class SqsClientsTest {

    @Test
    void awsItselfHttpsAndLoopbackNeedNoChecksum() {
        assertThat(SqsClients.transportGuardsIntegrity("")).isTrue();
        assertThat(SqsClients.transportGuardsIntegrity("https://sqs.eu-west-1.amazonaws.com")).isTrue();
        assertThat(SqsClients.transportGuardsIntegrity("http://127.0.0.1:9324")).isTrue();
        assertThat(SqsClients.transportGuardsIntegrity("http://localhost:9324")).isTrue();
    }

    @Test
    void plainHttpToAnotherMachineKeepsTheChecksum() {
        // An address literal from the documentation range: nothing is looked up or contacted.
        assertThat(SqsClients.transportGuardsIntegrity("http://192.0.2.10:9324")).isFalse();
    }
}
