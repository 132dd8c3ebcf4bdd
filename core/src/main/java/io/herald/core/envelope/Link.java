package io.herald.core.envelope;

/** A link shown with a notification. */
public record Link(String label, String url) {}
