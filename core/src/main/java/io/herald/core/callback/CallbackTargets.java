package io.herald.core.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which callback URLs Herald may post to. A callback is a request Herald makes on a client's behalf, so without this
 * guard any API key could make Herald reach its own network (the metadata service at 169.254.169.254, the DynamoDB and
 * SQS endpoints, admin ports on loopback). Only http and https are allowed, and every address the host resolves to must
 * be public: loopback, private, carrier-grade NAT, link-local, unique-local, multicast, unspecified and reserved ranges
 * are refused, IPv4 written inside IPv6 (mapped, compatible, NAT64) checked as the IPv4 it is. The check runs when a
 * request names the URL and again before each post, because what a name resolves to may change.
 *
 * <p>{@code callbacks.allowPrivateTargets: true} turns the address check off (tests against 127.0.0.1).
 */
public final class CallbackTargets {

    /** Long enough for any real endpoint with a token; bounded because it is stored with every status change. */
    public static final int MAX_URL_CHARS = 2048;

    /** Resolves a host name to all its addresses; a seam only so a test can stand in for DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<Block> REFUSED_V4 = List.of(
            Block.of("0.0.0.0", 8, "'this' network"),
            Block.of("10.0.0.0", 8, "private"),
            Block.of("100.64.0.0", 10, "carrier-grade NAT"),
            Block.of("127.0.0.0", 8, "loopback"),
            Block.of("169.254.0.0", 16, "link-local"),
            Block.of("172.16.0.0", 12, "private"),
            Block.of("192.0.0.0", 24, "IETF protocol assignments"),
            Block.of("192.0.2.0", 24, "documentation"),
            Block.of("192.168.0.0", 16, "private"),
            Block.of("198.18.0.0", 15, "benchmarking"),
            Block.of("198.51.100.0", 24, "documentation"),
            Block.of("203.0.113.0", 24, "documentation"),
            Block.of("224.0.0.0", 4, "multicast"),
            Block.of("240.0.0.0", 4, "reserved"));

    private final boolean allowPrivate;
    private final Resolver resolver;

    public CallbackTargets(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** With the system's resolver. */
    public CallbackTargets(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    /**
     * @return why Herald must not post to this URL, in words that show at most its scheme and host; empty when it may
     */
    public Optional<String> problem(String url) {
        Optional<String> syntax = syntaxProblem(url);
        if (syntax.isPresent()) {
            return syntax;
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = URI.create(url).getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return Optional.of("host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return Optional.of("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> range = refusedRange(address);
            if (range.isPresent()) {
                return Optional.of("host " + host + " resolves to a " + range.get() + " address ("
                        + address.getHostAddress() + "); callbacks go to public addresses only");
            }
        }
        return Optional.empty();
    }

    /** What is wrong with the URL as written, before any lookup; empty when it is an absolute http(s) URL. */
    public static Optional<String> syntaxProblem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is empty");
        }
        if (url.length() > MAX_URL_CHARS) {
            return Optional.of("is longer than " + MAX_URL_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            // A password in the URL would be sent as plain text and shown by proxies; tokens belong in the path/query.
            return Optional.of("must not hold a user or password before the host");
        }
        return Optional.empty();
    }

    /**
     * The URL as logs and errors may show it: scheme, host and port. Its path and query may hold the receiver's token.
     */
    public static String shown(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(unreadable URL)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException | RuntimeException e) {
            return "(unreadable URL)";
        }
    }

    /** @return the kind of range the address lies in when Herald must not post to it */
    static Optional<String> refusedRange(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Optional<byte[]> embedded = embeddedIpv4(b);
            if (embedded.isPresent()) {
                try {
                    return refusedRange(InetAddress.getByAddress(embedded.get()));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
            if (v6.isAnyLocalAddress()) {
                return Optional.of("unspecified");
            }
            if (v6.isLoopbackAddress()) {
                return Optional.of("loopback");
            }
            if (v6.isLinkLocalAddress() || v6.isSiteLocalAddress()) {
                return Optional.of("link-local");
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Optional.of("unique-local");
            }
            if (v6.isMulticastAddress()) {
                return Optional.of("multicast");
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return Optional.of("documentation");
            }
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        for (Block block : REFUSED_V4) {
            if (block.contains(b)) {
                return Optional.of(block.kind());
            }
        }
        return Optional.empty();
    }

    /** IPv4 carried in an IPv6 address: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d). */
    private static Optional<byte[]> embeddedIpv4(byte[] b) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(isZero(b, 12, 15) && (b[15] & 0xff) <= 1);
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return Optional.of(new byte[] {b[12], b[13], b[14], b[15]});
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private record Block(int network, int mask, String kind) {
        static Block of(String network, int bits, String kind) {
            try {
                byte[] b = Inet4Address.getByName(network).getAddress();
                return new Block(toInt(b), bits == 0 ? 0 : -1 << (32 - bits), kind);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a literal address needs no lookup", e);
            }
        }

        boolean contains(byte[] address) {
            return (toInt(address) & mask) == (network & mask);
        }

        private static int toInt(byte[] b) {
            return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }
    }
}
