package io.herald.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusUpdateTest {

    @Test
    void itsTextNamesTheCallbackByHostAndNeverShowsItsPathOrQuery() {
        StatusUpdate update = new StatusUpdate(
                "0190aaaa-0000-7000-8000-000000000001",
                new DeliveryState.Queued(),
                Instant.parse("2026-12-07T12:00:00Z"),
                "app",
                "https://hooks.example.org:8443/u/secret-path?token=s3cret");

        assertThat(update.toString())
                .contains("https://hooks.example.org:8443")
                .doesNotContain("secret-path")
                .doesNotContain("s3cret");
    }
}
