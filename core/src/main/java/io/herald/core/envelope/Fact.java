package io.herald.core.envelope;

/** One labelled value in a notification, e.g. "Exit code" → "0". */
public record Fact(String label, String value) {}
