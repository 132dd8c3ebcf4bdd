package io.herald.pipeline.provider.slack;

import io.herald.pipeline.provider.render.Escape;
import io.herald.pipeline.provider.render.OutputFormat;

/** Slack's mrkdwn markup: how user text is escaped in it, also for templates. */
public final class SlackMrkdwn {

    /** Templates of Slack messages: every value escaped as {@link #escape} does. */
    public static final OutputFormat FORMAT = new OutputFormat("slack_mrkdwn", SlackMrkdwn::escape);

    private SlackMrkdwn() {}

    /**
     * Only &amp;, &lt; and &gt; are control characters, so {@code <!channel>}, {@code <!here>}, {@code <!everyone>} and
     * {@code <@U…>} can never be formed; a bare {@code @channel} is also broken up ({@link Escape#mentions}) in case a
     * block is auto-parsed.
     */
    public static String escape(String s) {
        return Escape.mentions(Escape.entities(s, false));
    }
}
