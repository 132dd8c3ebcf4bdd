package io.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text that tries what chat providers must defuse (issue 15, findings 5 and 10): mentions of a whole channel or room in
 * every spelling the chat systems parse, user mentions, Slack's special forms, Markdown links whose label hides the
 * target, emphasis, Teams' mention tag. Seeded, so a run can be replayed.
 */
final class ContentTricks {

    static final List<String> PIECES = List.of(
            "@channel",
            "@all",
            "@here",
            "@everyone",
            "@room",
            "@CHANNEL",
            "\\@channel",
            ".@channel",
            "x:@here",
            "a-@all",
            "(@here)",
            "@alice",
            "ping @admins",
            "<!channel>",
            "<!here|here>",
            "<!everyone>",
            "<@U024BE7LH>",
            "<!subteam^S0614TZR7>",
            "[click here](https://evil.example/login)",
            "[https://bank.example](https://evil.example)",
            "**urgent**",
            "_x_",
            "<at>Bob</at>",
            "<https://evil.example|Your bank>",
            "mail bob@example.org",
            "job 42 ended",
            "café 🚀",
            "\n- list item",
            "# heading");

    private ContentTricks() {}

    /** Two to five pieces, joined by spaces. */
    static String text(Random random) {
        int n = 2 + random.nextInt(4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(PIECES.get(random.nextInt(PIECES.size())));
        }
        return String.join(" ", out);
    }
}
