package io.herald.api;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every route declares exactly one where it is registered, and {@link RouteGuard} enforces it
 * before the handler runs, so no handler checks keys itself and a route registered without a role is refused rather
 * than open.
 */
enum ApiRole implements RouteRole {
    /** Anyone, with or without a key: the page, health, the API document. */
    PUBLIC,
    /**
     * Any API key. The sending endpoints admit, throttle and drain an unread body themselves ({@link Intake#handler}):
     * a refusal must read what the client is still sending, or the client sees a reset instead of the answer.
     */
    SENDER,
    /** Any API key; what the caller may read is the handler's to decide (its own messages, or all for admins). */
    READER,
    /** An admin key ({@code role=admin}), or anyone when the API runs open. */
    ADMIN,
    /**
     * A self-service session ({@link SelfServiceHandler}), never an API key, open mode or not: the route acts on the
     * session's own user only.
     */
    SELF
}
