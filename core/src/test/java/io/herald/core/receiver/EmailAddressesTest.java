package io.herald.core.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alice@example.org",
                "Alice.Smith@Example.ORG",
                "ALICE@EXAMPLE.ORG",
                "studio@lens.photography",
                "a@b.international",
                "user@例え.テスト",
                "info@bücher.de",
                "用户@例子.广告",
                "josé@example.org",
                "alice+slurm@example.org",
                "alice+job-42@example.org",
                "o'brien@example.ie",
                "first.middle.last@sub.domain.example.co.uk",
                "x@xn--bcher-kva.de",
                "a_b-c!#$%&*/=?^`{|}~@example.org",
            })
    void acceptsAddressesMailServersAccept(String address) {
        assertThat(EmailAddresses.problem(address)).as(address).isEmpty();
        assertThat(EmailAddresses.isValid(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ceo@ex\u00ADample.org",
                "ceo@exam\u200Dple.org",
                "ceo@exam\u200Bple.org",
                "ceo@ban\u212A.example",
                "ceo@\uFF45xample.org",
                "ceo@p\u0430ypal.com",
            })
    void disguisedDomainsAreRefusedWithTheReason(String address) {
        assertThat(EmailAddresses.problem(address))
                .as(address)
                .hasValueSatisfying(p -> assertThat(p)
                        .startsWith("has a domain '")
                        .containsAnyOf("invisible", "stands for", "mixes scripts"));
    }

    @Test
    void domainsCompareInTheirUts46Form() {
        assertThat(DomainNames.toAscii("Straße.DE")).isEqualTo(new DomainNames.Ascii("xn--strae-oqa.de"));
        assertThat(DomainNames.toAscii("Bücher.de")).isEqualTo(new DomainNames.Ascii("xn--bcher-kva.de"));
        assertThat(DomainNames.toAscii("пример.рф")).isEqualTo(new DomainNames.Ascii("xn--e1afmkfd.xn--p1ai"));
        assertThat(DomainNames.toAscii("例え.テスト")).isInstanceOf(DomainNames.Ascii.class);
    }

    @Test
    void missingAtIsRefused() {
        assertThat(EmailAddresses.problem("alice.example.org")).hasValue("has no '@'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice..smith@example.org", ".alice@example.org", "alice.@example.org"})
    void misplacedDotBeforeAtIsRefused(String address) {
        assertThat(EmailAddresses.problem(address)).as(address).hasValue("has a misplaced '.' before the '@'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example..org", "alice@.example.org", "alice@example.org."})
    void emptyDomainLabelIsRefused(String address) {
        assertThat(EmailAddresses.problem(address)).as(address).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"alice smith@example.org", "alice@exa mple.org", " alice@example.org", "alice@example.org\t"})
    void spacesAreRefused(String address) {
        assertThat(EmailAddresses.problem(address)).as(address).hasValue("contains whitespace or control characters");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alice@example.org\r\nBcc: eve@evil.example",
                "alice@example.org\n",
                "alice\r@example.org",
                "alice\u0000@example.org"
            })
    void lineBreaksAndControlCharactersAreRefused(String address) {
        // A CR/LF that reached a mail header would let a user inject headers.
        assertThat(EmailAddresses.problem(address)).as(address).hasValue("contains whitespace or control characters");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullOrEmptyIsRefused(String address) {
        assertThat(EmailAddresses.problem(address)).hasValue("is empty");
    }

    @Test
    void nothingBeforeAtIsRefused() {
        assertThat(EmailAddresses.problem("@example.org")).hasValue("has nothing before the '@'");
    }

    @Test
    void nothingAfterAtIsRefused() {
        assertThat(EmailAddresses.problem("alice@")).hasValue("has no domain after the '@'");
    }

    @Test
    void domainWithoutDotIsRefused() {
        assertThat(EmailAddresses.problem("alice@localhost"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("without a '.'");
    }

    @Test
    void numericTopLevelDomainIsRefused() {
        assertThat(EmailAddresses.problem("alice@10.0.0.1"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("numeric top-level domain");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a@b.org;c@d.org",
                "a@b@c.org",
                "\"quoted\"@example.org",
                "alice@[127.0.0.1]",
                "alice(comment)@example.org",
                "<alice@example.org>",
                "Alice <alice@example.org>",
                "a,b@example.org"
            })
    void syntaxHeraldDoesNotDeliverIsRefused(String address) {
        assertThat(EmailAddresses.isValid(address)).as(address).isFalse();
    }

    @Test
    void twoAddressesInOneSayWhatToDoInstead() {
        assertThat(EmailAddresses.problem("a@b.org;c@d.org"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("has more than one '@'")
                .contains("separate receivers with ','");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@exa_mple.org", "alice@-example.org", "alice@example-.org"})
    void domainLabelsMustBeHostNames(String address) {
        assertThat(EmailAddresses.isValid(address)).as(address).isFalse();
    }

    @Test
    void localPartLongerThan64IsRefused() {
        assertThat(EmailAddresses.problem("a".repeat(65) + "@example.org"))
                .hasValue("has more than 64 characters before the '@'");
        assertThat(EmailAddresses.isValid("a".repeat(64) + "@example.org")).isTrue();
    }

    @Test
    void addressLongerThan254IsRefused() {
        String domain = ("d".repeat(60) + ".").repeat(4) + "org";
        assertThat(EmailAddresses.problem("a".repeat(10) + "@" + domain)).hasValue("is longer than 254 characters");
    }
}
