package io.herald.core.control;

/** A provider's worker as an operator sees it. */
public enum WorkerState {
    /** Its breaker is closed: it takes its share of traffic. */
    HEALTHY,
    /** Its breaker is open: it gets nothing until the next probe. */
    UNHEALTHY,
    /** Its breaker is half open: exactly one probe message is out. */
    PROBING,
    /** An operator paused it or its channel: it gets nothing, whatever its health. */
    PAUSED
}
