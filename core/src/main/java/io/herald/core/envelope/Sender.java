package io.herald.core.envelope;

/** The From of a notification: an address and an optional display name. */
public record Sender(String email, String name) {}
