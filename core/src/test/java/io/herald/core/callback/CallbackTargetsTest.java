package io.herald.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard. DNS is the one thing stood in for (a map of names to literal addresses through the guard's
 * {@link CallbackTargets.Resolver} seam): a test cannot make a real name resolve to 10.0.0.1, and must not ask the
 * network. Everything else is the real check.
 */
class CallbackTargetsTest {

    private static CallbackTargets resolving(Map<String, String[]> names) {
        return new CallbackTargets(false, host -> {
            String[] literal = names.get(host);
            if (literal == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[literal.length];
            for (int i = 0; i < literal.length; i++) {
                out[i] = InetAddress.getByName(literal[i]);
            }
            return out;
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd12:3456::1",
                "ff02::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "::10.0.0.1"
            })
    void privateLoopbackLinkLocalUniqueLocalAndMulticastAddressesAreRefused(String address) {
        CallbackTargets targets = resolving(Map.of("hooks.example.com", new String[] {address}));

        assertThat(targets.problem("https://hooks.example.com/h?token=s3cret"))
                .hasValueSatisfying(
                        p -> assertThat(p).contains("hooks.example.com").doesNotContain("s3cret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"})
    void publicAddressesAreAllowed(String address) {
        CallbackTargets targets = resolving(Map.of("hooks.example.com", new String[] {address}));

        assertThat(targets.problem("https://hooks.example.com/h")).isEmpty();
    }

    @Test
    void oneRefusedAddressAmongPublicOnesRefusesTheHost() {
        CallbackTargets targets =
                resolving(Map.of("mixed.example.com", new String[] {"8.8.8.8", "2606:4700::1", "10.0.0.5"}));

        assertThat(targets.problem("https://mixed.example.com/"))
                .hasValueSatisfying(p -> assertThat(p).contains("private"));
    }

    @Test
    void literalAddressesInTheUrlAreCheckedToo() {
        CallbackTargets targets = new CallbackTargets(false);

        assertThat(targets.problem("http://127.0.0.1:8080/x")).isPresent();
        assertThat(targets.problem("http://[::1]:8080/x")).isPresent();
        assertThat(targets.problem("http://[::ffff:169.254.169.254]/latest/meta-data"))
                .isPresent();
    }

    @Test
    void aHostThatDoesNotResolveIsRefused() {
        assertThat(resolving(Map.of()).problem("https://nowhere.example.com/"))
                .hasValueSatisfying(p -> assertThat(p).contains("does not resolve"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "/relative", "https://user:pw@example.com/"})
    void onlyAbsoluteHttpUrlsWithoutCredentialsAreTargets(String url) {
        assertThat(CallbackTargets.syntaxProblem(url)).isPresent();
    }

    @Test
    void allowPrivateTargetsLetsLoopbackThroughButNotOtherSchemes() {
        CallbackTargets tests = new CallbackTargets(true);

        assertThat(tests.problem("http://127.0.0.1:9/cb")).isEmpty();
        assertThat(tests.problem("gopher://127.0.0.1/")).isPresent();
    }

    @Test
    void aUrlIsShownAsSchemeHostAndPortOnly() {
        assertThat(CallbackTargets.shown("https://hooks.example.com:8443/t/SECRET?key=abc#frag"))
                .isEqualTo("https://hooks.example.com:8443");
        assertThat(CallbackTargets.shown("not a url")).doesNotContain("not a url");
    }
}
