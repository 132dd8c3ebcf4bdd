package io.herald.mailprog.route;

import io.herald.core.receiver.ReceiverAllowList;
import io.herald.core.receiver.ReceiverParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {

    private static Routing routing(String domain, List<String> allow) {
        return new Routing(ReceiverParser.standard("mailto"), "mailto", domain, ReceiverAllowList.of(allow),
                Optional.empty());
    }

    @Test
    void aBareUserNameGetsTheMailDomain() {
        assertThat(routing("example.org", List.of()).route("alice").receivers())
                .extracting(r -> r.channel() + ":" + r.target()).containsExactly("email:alice@example.org");
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
        assertThat(routed.problems()).singleElement().asString().contains("b@example.org.evil.net").contains("allowList");
    }

    @Test
    void aTargetMatchingAnyOfASchemesPatternsIsAllowed() {
        Routing r = routing("", List.of("telegram=-100[0-9]+", "telegram=42"));

        assertThat(r.route("telegram:42,telegram:-1001,telegram:7").receivers()).extracting(x -> x.target())
                .containsExactly("42", "-1001");
    }

    @Test
    void aMailUserStartingWithADashIsATargetNotAnOption() {
        Routing.Routed routed = routing("", List.of()).route("-oFoo");

        assertThat(routed.receivers()).isEmpty();
        assertThat(routed.problems()).singleElement().asString().contains("'-oFoo'");
    }
}
