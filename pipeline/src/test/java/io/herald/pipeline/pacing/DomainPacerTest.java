package io.herald.pipeline.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.DomainDeferral;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.pipeline.provider.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sends are counted within steps of a {@link ManualClock}: the pacer's rates are asserted, never time that passed. */
class DomainPacerTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T22:00:00Z"));

    private DomainPacer pacer(String defaultRate, List<String> domains) {
        return new DomainPacer(new HeraldConfig.Pacing(defaultRate, domains, "1/s", Duration.ofMinutes(1)), clock);
    }

    /** How many of {@code tries} sends to the domain the pacer lets go now, without the clock moving. */
    private static int admitted(DomainPacer pacer, String domain, int tries) {
        int go = 0;
        for (int i = 0; i < tries; i++) {
            if (pacer.admit(domain).isEmpty()) {
                go++;
            }
        }
        return go;
    }

    @Test
    void byDefaultNoDomainIsPacedUntilItDefers() {
        DomainPacer pacer = pacer("none", List.of());

        assertThat(admitted(pacer, "example.org", 1000)).isEqualTo(1000);
        assertThat(pacer.currentRate("example.org")).isInfinite();
    }

    @Test
    void aConfiguredDomainGetsItsRateAndOthersAreNotHeld() {
        DomainPacer pacer = pacer("none", List.of("Gmail.com=10/s", "outlook.com=120/m"));

        assertThat(admitted(pacer, "gmail.com", 100)).isEqualTo(10);
        assertThat(admitted(pacer, "outlook.com", 100))
                .as("2/s: a second's burst, at least one")
                .isEqualTo(2);
        assertThat(admitted(pacer, "example.org", 100)).isEqualTo(100);

        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted(pacer, "gmail.com", 100)).isEqualTo(10);
        assertThat(admitted(pacer, "outlook.com", 100)).isEqualTo(2);
    }

    @Test
    void aHeldSendIsToldWhenTheNextTokensComeSpreadOverTheWaiters() {
        DomainPacer pacer = pacer("none", List.of("gmail.com=2/s"));
        admitted(pacer, "gmail.com", 2);

        assertThat(pacer.admit("gmail.com")).contains(Duration.ofMillis(500));
        assertThat(pacer.admit("gmail.com")).contains(Duration.ofMillis(1000));
    }

    @Test
    void aDeferralHalvesThatDomainOnlyAndCalmPeriodsDoubleItBack() {
        DomainPacer pacer = pacer("none", List.of("gmail.com=8/s", "yahoo.com=8/s"));

        pacer.deferred("gmail.com");
        assertThat(pacer.currentRate("gmail.com")).isEqualTo(4.0);
        assertThat(pacer.currentRate("yahoo.com")).isEqualTo(8.0);
        pacer.deferred("gmail.com");
        assertThat(pacer.currentRate("gmail.com")).isEqualTo(2.0);

        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted(pacer, "gmail.com", 100)).isEqualTo(2);
        assertThat(admitted(pacer, "yahoo.com", 100)).isEqualTo(8);

        clock.advance(Duration.ofMinutes(1));
        assertThat(pacer.currentRate("gmail.com")).isEqualTo(4.0);
        clock.advance(Duration.ofMinutes(5));
        assertThat(pacer.currentRate("gmail.com"))
                .as("never above the configured rate")
                .isEqualTo(8.0);
    }

    @Test
    void anUnlimitedDomainFallsToAfterDeferralAndIsForgottenOnceCalm() {
        DomainPacer pacer = pacer("none", List.of());

        pacer.deferred("example.org");
        assertThat(pacer.currentRate("example.org")).isEqualTo(1.0);
        assertThat(admitted(pacer, "example.org", 10)).isEqualTo(1);
        assertThat(admitted(pacer, "example.net", 10)).isEqualTo(10);
        pacer.deferred("example.org");
        assertThat(pacer.currentRate("example.org")).isEqualTo(0.5);

        clock.advance(Duration.ofMinutes(1));
        assertThat(pacer.currentRate("example.org")).isEqualTo(1.0);
        clock.advance(Duration.ofMinutes(1));
        assertThat(pacer.currentRate("example.org")).isInfinite();
    }

    @Test
    void noAmountOfDeferralsSlowsADomainBelowOneAMinute() {
        DomainPacer pacer = pacer("none", List.of());
        for (int i = 0; i < 50; i++) {
            pacer.deferred("example.org");
        }

        assertThat(pacer.currentRate("example.org")).isEqualTo(1.0 / 60);
        assertThat(pacer.admit("example.org")).isEmpty();
        assertThat(pacer.admit("example.org")).get().isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aDefaultRatePacesEveryUnlistedDomain() {
        DomainPacer pacer = pacer("3/s", List.of("gmail.com=10/s"));

        assertThat(admitted(pacer, "example.org", 100)).isEqualTo(3);
        assertThat(admitted(pacer, "gmail.com", 100)).isEqualTo(10);
    }

    @Test
    void aDeferralHeardElsewhereSlowsTheDomainHereUnlessItHasRecoveredSince() {
        DomainPacer pacer = pacer("none", List.of());

        pacer.deferredElsewhere("gmail.com", clock.instant());
        pacer.deferredElsewhere("outlook.com", clock.instant().minus(Duration.ofMinutes(1)));

        assertThat(pacer.currentRate("gmail.com")).isEqualTo(1.0);
        assertThat(pacer.currentRate("outlook.com")).isEqualTo(Double.POSITIVE_INFINITY);
        // Not heard here: nothing to tell the others.
        pacer.shareDeferrals();
        assertThat(pacer.takeUnshared()).isEmpty();
    }

    @Test
    void deferralsHeardHereAreKeptForTheOthersOnlyOnceSharingStartsAndOnlyUntilTaken() {
        DomainPacer pacer = pacer("none", List.of());
        pacer.deferred("before.example");
        pacer.shareDeferrals();
        Instant first = clock.instant();
        pacer.deferred("gmail.com");
        clock.advance(Duration.ofSeconds(1));
        pacer.deferred("gmail.com");
        pacer.deferred("outlook.com");

        assertThat(pacer.takeUnshared())
                .containsOnly(
                        Map.entry("gmail.com", first.plusSeconds(1)), Map.entry("outlook.com", first.plusSeconds(1)));
        assertThat(pacer.takeUnshared()).isEmpty();

        // Given back after a failed store write, unless a newer one came meanwhile.
        clock.advance(Duration.ofSeconds(1));
        pacer.deferred("gmail.com");
        pacer.stillUnshared(Map.of("gmail.com", first, "outlook.com", first));
        assertThat(pacer.takeUnshared())
                .containsOnly(Map.entry("gmail.com", first.plusSeconds(2)), Map.entry("outlook.com", first));
    }

    @Test
    void domainsAreTakenFromAddressesInLowerCase() {
        assertThat(DomainDeferral.domainOf("Someone@GMail.COM")).isEqualTo("gmail.com");
        assertThat(DomainDeferral.domainOf("<a@b.example>")).isEqualTo("b.example");
    }

    @Test
    void aDeferralReportedAsFeedbackReachesThePacerOnceRecorded() {
        DomainPacer pacer = pacer("none", List.of());
        // A stand-in for our own FeedbackSink interface (the FeedbackRecorder over DynamoDB is tested on its own).
        List<FeedbackEvent> recorded = new ArrayList<>();
        FeedbackSink sink = new DeferralPacing(recorded::add, pacer);

        sink.accept(new FeedbackEvent.Deferral(
                "ses", "e1", "m1", "someone@Example.org", clock.instant(), "421 4.7.0 try later"));
        sink.accept(new FeedbackEvent.Delivery("ses", "e2", "m2", "someone@example.net", clock.instant()));

        assertThat(recorded).hasSize(2);
        assertThat(pacer.currentRate("example.org")).isEqualTo(1.0);
        assertThat(pacer.currentRate("example.net")).isInfinite();
    }

    @Test
    void aDeferralThatCouldNotBeRecordedDoesNotSlowYetItComesAgain() {
        DomainPacer pacer = pacer("none", List.of());
        FeedbackSink failing = event -> {
            throw new FeedbackStoreException("status table unreachable", null);
        };
        FeedbackSink sink = new DeferralPacing(failing, pacer);

        try {
            sink.accept(new FeedbackEvent.Deferral("ses", "e1", "m1", "a@example.org", clock.instant(), "4.7.0"));
        } catch (FeedbackStoreException expected) {
            // The intake leaves the event to be delivered again.
        }

        assertThat(pacer.currentRate("example.org")).isInfinite();
    }
}
