package io.herald.core.envelope;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Message ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. They are unique without
 * coordination between API and shim instances, and their text sorts by creation time, which keeps status listings and
 * dead-letter inspection in order.
 */
public final class MessageIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {}

    public static String next(Instant now) {
        long millis = now.toEpochMilli();
        long randA = RANDOM.nextInt(1 << 12);
        long randB = RANDOM.nextLong();
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
