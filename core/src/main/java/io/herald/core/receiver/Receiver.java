package io.herald.core.receiver;

/**
 * One place to deliver to, parsed from {@code scheme:target}.
 *
 * @param scheme the scheme in lower case (or the default scheme for a bare item), e.g. {@code mailto}
 * @param channel the channel that scheme selects, e.g. {@code email}
 * @param target the address, chat id or room, with surrounding whitespace removed
 */
public record Receiver(String scheme, String channel, String target) {}
