package io.herald.core.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiverParserTest {

    /** The exact --mail-user string of the mailprog case "receivers-malformed". */
    private static final String MALFORMED = ",msteams:,::,:xxx,telegram:not-a-number, mailto:x@y.org,slack:C0123,"
            + "msteams:::,unknown:foo,matrix:!room:server.org,mailto:a@b.org;c@d.org";

    private final ReceiverParser parser = ReceiverParser.standard("mailto");

    // --- the README example -------------------------------------------------------------------

    @Test
    void goslmailerExampleYieldsFourReceiversWithBareItemOnDefaultScheme() {
        ParsedReceivers parsed =
                ReceiverParser.standard("msteams").parse("mailto:a@b.org,msteams:bob,telegram:123456,carol");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.receivers())
                .containsExactly(
                        new Receiver("mailto", "email", "a@b.org"),
                        new Receiver("msteams", "msteams", "bob"),
                        new Receiver("telegram", "telegram", "123456"),
                        new Receiver("msteams", "msteams", "carol"));
    }

    @Test
    void bareUserNameOnEmailDefaultIsReportedNotDeliveredAsAnAddress() {
        // Slurm passes a bare user name when slurm.conf has no MailDomain; email providers cannot deliver to it.
        ParsedReceivers parsed = parser.parse("mailto:a@b.org,msteams:bob,telegram:123456,carol");

        assertThat(parsed.receivers()).extracting(Receiver::target).containsExactly("a@b.org", "bob", "123456");
        assertThat(parsed.problems()).singleElement().satisfies(p -> {
            assertThat(p.position()).isEqualTo(4);
            assertThat(p.item()).isEqualTo("carol");
            assertThat(p.reason()).contains("mailto").contains("'carol'").contains("'@'");
        });
    }

    @Test
    void bareAddressGoesToDefaultEmailScheme() {
        assertThat(parser.parse("alice@example.org").receivers())
                .containsExactly(new Receiver("mailto", "email", "alice@example.org"));
    }

    // --- the malformed case, item by item -----------------------------------------------------

    @Test
    void malformedCaseDeliversOnlyTheWellFormedItems() {
        ParsedReceivers parsed = parser.parse(MALFORMED);

        assertThat(parsed.receivers())
                .containsExactly(
                        new Receiver("mailto", "email", "x@y.org"),
                        new Receiver("slack", "slack", "C0123"),
                        new Receiver("matrix", "matrix", "!room:server.org"));
    }

    @Test
    void malformedCaseReportsEveryOtherItemWithItsPosition() {
        ParsedReceivers parsed = parser.parse(MALFORMED);

        assertThat(parsed.problems())
                .extracting(ReceiverProblem::position, ReceiverProblem::item)
                .containsExactly(
                        tuple(1, ""),
                        tuple(2, "msteams:"),
                        tuple(3, "::"),
                        tuple(4, ":xxx"),
                        tuple(5, "telegram:not-a-number"),
                        tuple(8, "msteams:::"),
                        tuple(9, "unknown:foo"),
                        tuple(11, "mailto:a@b.org;c@d.org"));
    }

    @Test
    void emptyItemIsReported() {
        assertThat(problemAt(parser.parse(MALFORMED), 1).reason()).isEqualTo("empty item");
    }

    @Test
    void schemeWithoutTargetIsReported() {
        assertThat(problemAt(parser.parse(MALFORMED), 2).reason()).isEqualTo("no target after 'msteams:'");
    }

    @Test
    void itemOfOnlyColonsIsReportedAsMissingScheme() {
        assertThat(problemAt(parser.parse(MALFORMED), 3).reason()).isEqualTo("no scheme before ':'");
    }

    @Test
    void emptySchemeIsReported() {
        assertThat(problemAt(parser.parse(MALFORMED), 4).reason()).isEqualTo("no scheme before ':'");
    }

    @Test
    void telegramTargetThatIsNotANumberIsReported() {
        assertThat(problemAt(parser.parse(MALFORMED), 5).reason())
                .startsWith("telegram target 'not-a-number' is not a Telegram chat id");
    }

    @Test
    void targetOfOnlyColonsIsReportedAsMissing() {
        assertThat(problemAt(parser.parse(MALFORMED), 8).reason()).isEqualTo("no target after 'msteams:'");
    }

    @Test
    void unknownSchemeIsReportedWithTheKnownOnes() {
        assertThat(problemAt(parser.parse(MALFORMED), 9).reason())
                .startsWith("unknown scheme 'unknown'")
                .contains("mailto", "msteams", "telegram", "slack", "matrix");
    }

    @Test
    void twoAddressesJoinedBySemicolonAreNotAnEmailAddress() {
        assertThat(problemAt(parser.parse(MALFORMED), 11).reason()).startsWith("mailto target 'a@b.org;c@d.org' ");
    }

    @Test
    void leadingSpaceBeforeSchemeIsTrimmedUnlikeGoslmailer() {
        assertThat(parser.parse(" mailto:x@y.org").receivers())
                .containsExactly(new Receiver("mailto", "email", "x@y.org"));
    }

    @Test
    void whitespaceAroundSchemeAndTargetIsTrimmed() {
        assertThat(parser.parse("\tslack : C0123 ,  telegram:  -1001234567890\n")
                        .receivers())
                .containsExactly(
                        new Receiver("slack", "slack", "C0123"),
                        new Receiver("telegram", "telegram", "-1001234567890"));
    }

    @Test
    void targetKeepsEveryColonAfterTheFirst() {
        assertThat(parser.parse("matrix:!room:server.org:8448,slack:a:b:c").receivers())
                .containsExactly(
                        new Receiver("matrix", "matrix", "!room:server.org:8448"),
                        new Receiver("slack", "slack", "a:b:c"));
    }

    @Test
    void problemKeepsTheItemAsWrittenWithItsWhitespace() {
        ReceiverProblem problem =
                parser.parse("mailto:a@b.org,  unknown:foo ").problems().getFirst();

        assertThat(problem.item()).isEqualTo("  unknown:foo ");
        assertThat(problem.toString()).isEqualTo("item 2 '  unknown:foo ': " + problem.reason());
    }

    // --- edges ---------------------------------------------------------------------------------

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\n"})
    void nullOrBlankInputIsOneProblemAndNoReceivers(String text) {
        ParsedReceivers parsed = parser.parse(text);

        assertThat(parsed.receivers()).isEmpty();
        assertThat(parsed.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("no receiver given"))
                .satisfies(p -> assertThat(p.position()).isEqualTo(1));
    }

    @Test
    void onlyCommasGiveOneEmptyItemProblemEach() {
        ParsedReceivers parsed = parser.parse(",,");

        assertThat(parsed.receivers()).isEmpty();
        assertThat(parsed.problems())
                .extracting(ReceiverProblem::position, ReceiverProblem::reason)
                .containsExactly(tuple(1, "empty item"), tuple(2, "empty item"), tuple(3, "empty item"));
    }

    @Test
    void trailingCommaIsReportedAsEmptyItem() {
        ParsedReceivers parsed = parser.parse("mailto:a@b.org,");

        assertThat(parsed.receivers()).hasSize(1);
        assertThat(parsed.problems()).extracting(ReceiverProblem::position).containsExactly(2);
    }

    @Test
    void duplicatesAreCollapsedKeepingFirstPosition() {
        ParsedReceivers parsed = parser.parse("mailto:a@b.org,telegram:1, mailto:a@b.org ,a@b.org,MAILTO:a@b.org");

        assertThat(parsed.receivers())
                .containsExactly(new Receiver("mailto", "email", "a@b.org"), new Receiver("telegram", "telegram", "1"));
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void emailAddressesThatDifferOnlyInCaseAreOneReceiverKeptAsFirstWritten() {
        ParsedReceivers parsed = parser.parse("Victim@Example.org,victim@example.ORG,VICTIM@EXAMPLE.ORG,"
                + "telegram:@BobSmith,"
                + "telegram:@bobsmith");

        assertThat(parsed.receivers())
                .containsExactly(
                        new Receiver("mailto", "email", "Victim@Example.org"),
                        new Receiver("telegram", "telegram", "@BobSmith"),
                        new Receiver("telegram", "telegram", "@bobsmith"));
    }

    @Test
    void itemsAreCountedWithoutSplitting() {
        assertThat(ReceiverParser.itemCount(",".repeat(262_143))).isEqualTo(262_144);
        assertThat(ReceiverParser.itemCount("a@b.org")).isEqualTo(1);
        assertThat(ReceiverParser.itemCount(" ")).isZero();
    }

    @Test
    void aLongTargetIsQuotedByItsStartInTheReason() {
        String huge = "x".repeat(100_000);

        ReceiverProblem problem = parser.parse("telegram:" + huge).problems().getFirst();
        ReceiverProblem scheme = parser.parse(huge + ":1").problems().getFirst();

        assertThat(problem.reason()).hasSizeLessThan(300).contains("(100000 characters)");
        assertThat(scheme.reason()).hasSizeLessThan(300);
    }

    @Test
    void schemeIsCaseInsensitiveAndReportedInLowerCase() {
        assertThat(parser.parse("MailTo:a@b.org,TELEGRAM:42,Matrix:#alias:server.org")
                        .receivers())
                .containsExactly(
                        new Receiver("mailto", "email", "a@b.org"),
                        new Receiver("telegram", "telegram", "42"),
                        new Receiver("matrix", "matrix", "#alias:server.org"));
    }

    @Test
    void targetCaseIsKept() {
        assertThat(parser.parse("slack:C0123AbC").receivers().getFirst().target())
                .isEqualTo("C0123AbC");
    }

    @Test
    void telegramAcceptsNegativeGroupIdsAndPublicChannelNames() {
        ParsedReceivers parsed = parser.parse("telegram:-1001234567890,telegram:@herald_news,telegram:@ab");

        assertThat(parsed.receivers()).extracting(Receiver::target).containsExactly("-1001234567890", "@herald_news");
        assertThat(parsed.problems()).extracting(ReceiverProblem::position).containsExactly(3);
    }

    @Test
    void matrixRejectsARoomWithoutServer() {
        assertThat(parser.parse("matrix:!room").problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("not a Matrix room"));
    }

    @Test
    void targetWithInnerWhitespaceIsReported() {
        assertThat(parser.parse("msteams:bob smith").problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("whitespace"));
    }

    @Test
    void customSchemesReplaceTheStandardOnes() {
        ReceiverParser custom =
                new ReceiverParser(Map.of("pager", new ReceiverParser.Scheme("pagerduty", TargetRule.ANY)), "pager");

        ParsedReceivers parsed = custom.parse("pager:oncall,mailto:a@b.org,ops");

        assertThat(parsed.receivers())
                .containsExactly(
                        new Receiver("pager", "pagerduty", "oncall"), new Receiver("pager", "pagerduty", "ops"));
        assertThat(parsed.problems()).extracting(ReceiverProblem::position).containsExactly(2);
    }

    @Test
    void defaultSchemeMustBeKnown() {
        assertThatThrownBy(() -> ReceiverParser.standard("pigeon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pigeon");
    }

    @Test
    void randomTextNeverThrowsAndEveryItemIsAReceiverOrAProblem() {
        Random random = new Random(20260105L);
        for (int run = 0; run < 10_000; run++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                if (random.nextInt(8) == 0) {
                    text.append(FUZZ_PREFIXES.get(random.nextInt(FUZZ_PREFIXES.size())));
                }
                text.append(randomChar(random));
            }
            assertEveryItemAccountedFor(text.toString());
        }
    }

    @Test
    void mutatedPlausibleListsNeverThrowAndEveryItemIsAReceiverOrAProblem() {
        // Pure noise is almost never a receiver; lists of near-valid items exercise the accepting paths too.
        Random random = new Random(42L);
        int accepted = 0;
        for (int run = 0; run < 10_000; run++) {
            StringBuilder text = new StringBuilder();
            int items = 1 + random.nextInt(6);
            for (int i = 0; i < items; i++) {
                StringBuilder item = new StringBuilder(FUZZ_ITEMS.get(random.nextInt(FUZZ_ITEMS.size())));
                if (random.nextInt(3) == 0) {
                    item.insert(random.nextInt(item.length() + 1), randomChar(random));
                }
                text.append(i == 0 ? "" : ",").append(item);
            }
            accepted += assertEveryItemAccountedFor(text.toString());
        }
        assertThat(accepted).as("receivers accepted over all runs").isGreaterThan(10_000);
    }

    private static final String FUZZ_ALPHABET =
            ",,,:::  @@..;!#-_+\t\r\n\u0000\u00a0\u2028aZ09éü例テ\uD83D\uDE80\uD800\uDC00\uDFFF";
    private static final List<String> FUZZ_PREFIXES =
            List.of("", "mailto:", "telegram:", "matrix:", "msteams:", "slack:", "MAILTO:", "x:");
    private static final List<String> FUZZ_ITEMS = List.of(
            "mailto:a@b.org",
            " mailto:x@y.org",
            "carol@example.org",
            "telegram:123456",
            "telegram:-1001234567890",
            "telegram:@herald_news",
            "matrix:!room:server.org",
            "matrix:#alias:server.org:8448",
            "msteams:bob",
            "slack:C0123",
            "discord:ops",
            "mattermost:town-square",
            "user@例え.テスト",
            "MailTo:Info@Bücher.de",
            "",
            ":",
            "msteams:",
            "unknown:foo");

    private static char randomChar(Random random) {
        return FUZZ_ALPHABET.charAt(random.nextInt(FUZZ_ALPHABET.length()));
    }

    /** @return how many receivers the text yielded */
    private int assertEveryItemAccountedFor(String text) {
        ParsedReceivers parsed = parser.parse(text);
        if (text.isBlank()) {
            assertThat(parsed.receivers()).as("receivers of %s", text).isEmpty();
            assertThat(parsed.problems()).as("problems of %s", text).hasSize(1);
            return 0;
        }
        String[] items = text.split(",", -1);
        Set<Integer> problemPositions = new HashSet<>();
        for (ReceiverProblem problem : parsed.problems()) {
            assertThat(problemPositions.add(problem.position()))
                    .as("one problem per item in %s", text)
                    .isTrue();
            assertThat(problem.position()).as("position in %s", text).isBetween(1, items.length);
            assertThat(problem.item()).isEqualTo(items[problem.position() - 1]);
            assertThat(problem.reason()).isNotBlank();
        }
        Set<Receiver> fromItems = new HashSet<>();
        for (int i = 0; i < items.length; i++) {
            if (problemPositions.contains(i + 1)) {
                continue;
            }
            ParsedReceivers alone = parser.parse(items[i]);
            assertThat(alone.receivers()).as("item %d of %s alone", i + 1, text).hasSize(1);
            Receiver receiver = alone.receivers().getFirst();
            assertThat(receiver.target())
                    .isNotBlank()
                    .isEqualTo(receiver.target().strip());
            fromItems.add(receiver);
        }
        assertThat(parsed.receivers())
                .as("receivers of %s", text)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(fromItems);
        return parsed.receivers().size();
    }

    private static ReceiverProblem problemAt(ParsedReceivers parsed, int position) {
        return parsed.problems().stream()
                .filter(p -> p.position() == position)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem at position " + position + ": " + parsed.problems()));
    }
}
