package io.herald.pipeline.provider.mattermost;

import io.herald.pipeline.provider.render.Escape;
import io.herald.pipeline.provider.render.OutputFormat;

/** Mattermost's Markdown: how user text is escaped in it, also for templates. */
public final class MattermostMarkdown {

    /** Templates of Mattermost posts: every value escaped as {@link #escape} does. */
    public static final OutputFormat FORMAT = new OutputFormat("mattermost_markdown", MattermostMarkdown::escape);

    private MattermostMarkdown() {}

    /**
     * {@link Escape#markdown} plus {@link Escape#mentions}. The backslash alone does not stop a mention: Mattermost
     * parses the post as Markdown and runs its mention parser over the resulting text nodes, where {@code \@channel}
     * has become {@code @channel} again.
     */
    public static String escape(String s) {
        return Escape.mentions(Escape.markdown(s));
    }
}
