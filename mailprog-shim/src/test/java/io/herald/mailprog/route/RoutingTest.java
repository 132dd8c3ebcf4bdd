package io.herald.mailprog.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.receiver.ReceiverAllowList;
import io.herald.core.receiver.ReceiverParser;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutingTest {

    private static Routing routing(String domain, List<String> allow) {
        return new Routing(
                ReceiverParser.standard("mailto"), "mailto", domain, ReceiverAllowList.of(allow), Optional.empty());
    }

    @Test
    void aBareUserNameGetsTheMailDomain() {
        assertThat(routing("example.org", List.of()).route("alice").receivers())
                .extracting(r -> r.channel() + ":" + r.target())
                .containsExactly("email:alice@example.org");
    }

    @Test
    void aBareUserNameWithoutAMailDomainIsReportedNotGuessed() {
        Routing.Routed routed = routing("", List.of()).route("alice");

        assertThat(routed.receivers()).isEmpty();
        assertThat(routed.problems()).singleElement().asString().contains("has no '@'");
    }

    @Test
    void allowListPatternsMustMatchTheWholeTarget() {
        Routing r = routing("", List.of("mailto=.+@example\\.org"));

        Routing.Routed routed = r.route("mailto:a@example.org,mailto:b@example.org.evil.net,msteams:bob");

        assertThat(routed.receivers()).extracting(x -> x.target()).containsExactly("a@example.org", "bob");
        assertThat(routed.problems())
                .singleElement()
                .asString()
                .contains("b@example.org.evil.net")
                .contains("allowList");
    }

    @Test
    void aTargetMatchingAnyOfASchemesPatternsIsAllowed() {
        Routing r = routing("", List.of("telegram=-100[0-9]+", "telegram=42"));

        assertThat(r.route("telegram:42,telegram:-1001,telegram:7").receivers())
                .extracting(x -> x.target())
                .containsExactly("42", "-1001");
    }

    @Test
    void aMailUserStartingWithADashIsATargetNotAnOption() {
        Routing.Routed routed = routing("", List.of()).route("-oFoo");

        assertThat(routed.receivers()).isEmpty();
        assertThat(routed.problems()).singleElement().asString().contains("'-oFoo'");
    }

    @Test
    void theDocsOwnAllowListTakesAnUpperCaseSchemeAndDomain() {
        Routing r = routing("", List.of("mailto=.+@example\\.org"));

        Routing.Routed routed = r.route("MAILTO:Alice@Example.org,Mailto:bob@EXAMPLE.ORG.evil.net");

        assertThat(routed.receivers()).extracting(x -> x.target()).containsExactly("Alice@Example.org");
        assertThat(routed.problems()).singleElement().asString().contains("bob@EXAMPLE.ORG.evil.net");
    }

    @Test
    void allowListSchemesCompareCaseInsensitivelyButLocalPartsAsWritten() {
        Routing r = routing("", List.of("MAILTO=alice@example\\.org"));

        assertThat(r.route("mailto:alice@Example.Org,mailto:Alice@example.org").receivers())
                .extracting(x -> x.target())
                .containsExactly("alice@Example.Org");
    }

    @Test
    void whenNoReceiverCanBeUsedTheJobsOwnerGetsItAtTheDefaultReceiverWithTheReasons() {
        Routing r = routing("example.org", List.of("mailto=.+@example\\.org"));

        Routing.Routed routed = r.routeOrDefault("fax:123,mailto:bob@evil.net", "alice");

        assertThat(routed.usedDefault()).isTrue();
        assertThat(routed.receivers())
                .extracting(x -> x.channel() + ":" + x.target())
                .containsExactly("email:alice@example.org");
        assertThat(routed.problems()).hasSize(2);
        assertThat(routed.problems().get(0)).contains("fax:123", "unknown scheme 'fax'");
        assertThat(routed.problems().get(1)).contains("bob@evil.net", "not allowed by mailprog.allowList");
    }

    @Test
    void theDefaultReceiverMustPassTheAllowListToo() {
        Routing r = routing("example.org", List.of("mailto=.+@other\\.org"));

        Routing.Routed routed = r.routeOrDefault("fax:123", "alice");

        assertThat(routed.receivers()).isEmpty();
        assertThat(routed.usedDefault()).isFalse();
        assertThat(routed.problems())
                .anyMatch(p -> p.startsWith("default receiver 'alice'") && p.contains("allowList"));
    }

    @Test
    void withoutAUserNameThereIsNoDefaultReceiver() {
        Routing.Routed routed = routing("example.org", List.of()).routeOrDefault("fax:123", null);

        assertThat(routed.receivers()).isEmpty();
        assertThat(routed.problems()).last().asString().contains("user name is unknown");
    }

    @Test
    void usableReceiversAreNotReplacedByTheDefault() {
        Routing.Routed routed =
                routing("example.org", List.of()).routeOrDefault("fax:1,mailto:bob@example.org", "alice");

        assertThat(routed.usedDefault()).isFalse();
        assertThat(routed.receivers()).extracting(x -> x.target()).containsExactly("bob@example.org");
    }
}
