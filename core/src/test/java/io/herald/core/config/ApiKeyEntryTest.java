package io.herald.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyEntryTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static ApiKeyEntry valid(String text) {
        ApiKeyEntry.Parsed parsed = ApiKeyEntry.parse(text);
        assertThat(parsed).isInstanceOf(ApiKeyEntry.Parsed.Valid.class);
        return ((ApiKeyEntry.Parsed.Valid) parsed).entry();
    }

    private static String problem(String text) {
        ApiKeyEntry.Parsed parsed = ApiKeyEntry.parse(text);
        assertThat(parsed).as(text).isInstanceOf(ApiKeyEntry.Parsed.Invalid.class);
        return ((ApiKeyEntry.Parsed.Invalid) parsed).problem();
    }

    @Test
    void anEntryReadsItsFourFieldsInAnyOrder() {
        ApiKeyEntry entry =
                valid("rate=60/m senders=Example.ORG|alerts@other.org name=ci sha256=" + HASH.toUpperCase());

        assertThat(entry)
                .extracting(
                        ApiKeyEntry::name,
                        ApiKeyEntry::sha256,
                        ApiKeyEntry::senders,
                        ApiKeyEntry::rateCount,
                        ApiKeyEntry::ratePer,
                        ApiKeyEntry::role,
                        ApiKeyEntry::receivers)
                .containsExactly(
                        "ci",
                        HASH,
                        List.of("example.org", "alerts@other.org"),
                        60,
                        Duration.ofMinutes(1),
                        ApiKeyEntry.Role.SEND,
                        List.of());
    }

    @Test
    void aKeyWithoutRoleSendsOnlyAndRoleAdminMakesAnAdminKey() {
        assertThat(valid("name=ci sha256=" + HASH + " senders=* rate=1/s").isAdmin())
                .isFalse();
        assertThat(valid("name=ci sha256=" + HASH + " senders=* rate=1/s role=send")
                        .role())
                .isEqualTo(ApiKeyEntry.Role.SEND);
        assertThat(valid("name=ops sha256=" + HASH + " senders=* rate=1/s role=admin")
                        .isAdmin())
                .isTrue();
    }

    @Test
    void anUnknownRoleIsNamed() {
        assertThat(problem("name=ops sha256=" + HASH + " senders=* rate=1/s role=root"))
                .contains("role 'root'")
                .contains("send nor admin");
    }

    @Test
    void messagesDefaultToTheRateAndCanBeSetApart() {
        ApiKeyEntry plain = valid("name=ci sha256=" + HASH + " senders=* rate=5/s");
        ApiKeyEntry set = valid("name=ci sha256=" + HASH + " senders=* rate=5/s messages=600/h maxReceivers=3");

        assertThat(plain.messageCount()).isEqualTo(5);
        assertThat(plain.messagePer()).isEqualTo(Duration.ofSeconds(1));
        assertThat(plain.maxReceivers())
                .as("0: api.maxReceiversPerRequest applies")
                .isZero();
        assertThat(set.messageCount()).isEqualTo(600);
        assertThat(set.messagePer()).isEqualTo(Duration.ofHours(1));
        assertThat(set.maxReceivers()).isEqualTo(3);
    }

    @Test
    void badMessageLimitsAreNamed() {
        assertThat(problem("name=ci sha256=" + HASH + " senders=* rate=5/s messages=0/s"))
                .contains("messages '0/s'");
        assertThat(problem("name=ci sha256=" + HASH + " senders=* rate=5/s maxReceivers=0"))
                .contains("maxReceivers '0' must be a number from 1 to 1000");
        assertThat(problem("name=ci sha256=" + HASH + " senders=* rate=5/s maxReceivers=1001"))
                .contains("maxReceivers '1001'");
    }

    @Test
    void receiversRepeatOnePatternEachAndAreCheckedLikeTheMailprogAllowList() {
        ApiKeyEntry entry = valid("name=ci sha256=" + HASH + " senders=* rate=5/s receivers=mattermost=town-square|ops"
                + " receivers=mailto=.+@example\\.org");

        assertThat(entry.receivers()).containsExactly("mattermost=town-square|ops", "mailto=.+@example\\.org");
        assertThat(entry.restrictsReceivers()).isTrue();
        assertThat(valid("name=ci sha256=" + HASH + " senders=* rate=5/s").restrictsReceivers())
                .isFalse();
        assertThat(problem("name=ci sha256=" + HASH + " senders=* rate=5/s receivers=fax=1"))
                .contains("key 'ci': receivers 'fax=1' is not scheme=regex");
        assertThat(problem("name=ci sha256=" + HASH + " senders=* rate=5/s receivers=mailto=("))
                .contains("the pattern is not a regular expression");
    }

    @Test
    void theMetricsIdIsConfiguredOrAHashPrefixThatNamesNobody() {
        assertThat(valid("name=acme-prod sha256=" + HASH + " senders=* rate=5/s")
                        .id())
                .isEqualTo("key-9f86d081");
        assertThat(valid("name=acme-prod sha256=" + HASH + " senders=* rate=5/s id=tenant-7")
                        .id())
                .isEqualTo("tenant-7");
        assertThat(problem("name=ci sha256=" + HASH + " senders=* rate=5/s id=a/b"))
                .contains("id 'a/b'");
    }

    @Test
    void aKeysMaxReceiversAboveTheApiBoundIsAConfigurationError() {
        HeraldConfig base = HeraldConfig.defaults();
        HeraldConfig config = base.withApi(
                base.api().withKeys(false, List.of("name=ci sha256=" + HASH + " senders=* rate=5/s maxReceivers=60")));

        assertThat(ConfigValidator.problems(config))
                .anyMatch(p -> p.contains("key 'ci': maxReceivers=60 is more than api.maxReceiversPerRequest (50)"));
    }

    @Test
    void theHashOfATokenIsItsSha256InHex() {
        assertThat(ApiKeyEntry.hash("test")).isEqualTo(HASH);
    }

    @ParameterizedTest
    @CsvSource({
        "example.org, someone@example.org, true",
        "example.org, Someone@EXAMPLE.org, true",
        "example.org, someone@sub.example.org, false",
        "example.org, someone@example.org.evil.com, false",
        "ops@example.org, ops@example.org, true",
        "ops@example.org, OPS@example.org, true",
        "ops@example.org, dev@example.org, false",
        "bücher.de, info@xn--bcher-kva.de, true",
        "*, anyone@anywhere.org, true",
        // UTS #46, nontransitional: ß is its own letter (IDNA 2003 made it ss), and what Java's
        // IDN silently dropped or mapped (soft hyphen, zero-width joiner, Kelvin sign) matches nothing.
        "strasse.de, ceo@straße.de, false",
        "straße.de, ceo@straße.de, true",
        "straße.de, ceo@strasse.de, false",
        "example.org, ceo@ex\u00ADample.org, false",
        "example.org, ceo@exam\u200Dple.org, false",
        "bank.example, ceo@ban\u212A.example, false",
        "paypal.com, ceo@p\u0430ypal.com, false",
    })
    void sendersAreAddressesOrWholeDomains(String senders, String from, boolean allowed) {
        ApiKeyEntry entry = valid("name=k sha256=" + HASH + " senders=" + senders + " rate=1/s");

        assertThat(entry.allowsSender(from)).as(from).isEqualTo(allowed);
    }

    @Test
    void aTokenPastedInsteadOfItsHashIsRefusedWithoutBeingRepeated() {
        String message = problem("name=ci sha256=my-secret-token senders=* rate=1/s");

        assertThat(message).contains("64 hex digits").doesNotContain("my-secret-token");
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = "=>",
            value = {
                "name=ci senders=* rate=1/s => field 'sha256' is missing",
                "name=ci sha256=HASH senders=* rate=1/s colour=red => unknown field 'colour'",
                "name=ci name=cd sha256=HASH senders=* rate=1/s => given twice",
                "name=c/i sha256=HASH senders=* rate=1/s => name 'c/i'",
                "name=ci sha256=HASH senders=not-an-address@ rate=1/s => sender 'not-an-address@'",
                "name=ci sha256=HASH senders=example.org||b.org rate=1/s => empty item",
                "name=ci sha256=HASH senders=*|example.org rate=1/s => already allows everyone",
                "name=ci sha256=HASH senders=* rate=60 => rate '60'",
                "name=ci sha256=HASH senders=* rate=0/s => rate '0/s'",
                "justatoken => not field=value",
            })
    void aBadEntryIsRefusedWithItsReason(String text, String reason) {
        assertThat(problem(text.strip().replace("HASH", HASH))).contains(reason);
    }

    @Test
    void keysAreValidatedWhenTheConfigurationLoadsAndNamedByEntry() {
        HeraldConfig base = HeraldConfig.defaults();
        HeraldConfig config = base.withApi(base.api()
                .withKeys(
                        false,
                        List.of(
                                "name=ci sha256=" + HASH + " senders=* rate=1/s",
                                "name=ci sha256=" + HASH + " senders=* rate=1/s",
                                "name=x sha256=1 senders=* rate=1/s")));

        assertThat(ConfigValidator.problems(config))
                .containsExactly(
                        "api.keys (HERALD_API_KEYS): entry 2: the name 'ci' is used twice; names "
                                + "tell keys apart in logs and metrics",
                        "api.keys (HERALD_API_KEYS): entry 2: key 'ci' has the same token hash as an "
                                + "earlier entry; one token, one key",
                        "api.keys (HERALD_API_KEYS): entry 3: key 'x': sha256 must be 64 hex digits, "
                                + "the SHA-256 of the token "
                                + "(printf %s TOKEN | sha256sum), not the token itself");
    }
}
