package io.herald.api;

import java.util.List;

/**
 * The chaos demo of {@code ./herald local --demo}: local stand-ins for providers' APIs that an operator breaks and
 * heals from the dashboard, and a steady trickle of demo notifications so the effect shows. Only local mode has one; an
 * API built without it has no {@code /v1/local/*} routes.
 */
public interface LocalDemo {

    /** Most demo notifications per second the trickle may be set to. */
    int MAX_PER_SECOND = 50;

    /**
     * One provider's stand-in.
     *
     * @param broken answering every send with a server error
     * @param accepted sends it accepted since it started
     * @param failed sends it failed on purpose since it started
     */
    record FakeProvider(String provider, String channel, boolean broken, long accepted, long failed) {}

    /** @param perSecond demo notifications put on the queues per second; 0 when stopped */
    record Traffic(int perSecond, long sent) {}

    record State(List<FakeProvider> providers, Traffic traffic) {}

    State state();

    /**
     * Breaks (every send fails with a server error) or heals a provider's stand-in.
     *
     * @return false when there is no stand-in of that name
     */
    boolean setBroken(String provider, boolean broken);

    /** Sets the trickle, 0 to {@link #MAX_PER_SECOND}; 0 stops it. */
    void setTraffic(int perSecond);
}
