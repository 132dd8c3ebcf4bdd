package io.herald.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCodecTest {

    private static final int LIMIT = EnvelopeCodec.SQS_MAX_MESSAGE_BYTES;

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final ObjectMapper json = new ObjectMapper();

    // --- round trip -------------------------------------------------------------------------

    @Test
    void fullyPopulatedEnvelopeSurvivesRoundTrip() {
        Envelope original = TestEnvelopes.fullyPopulated();

        Envelope decoded = codec.decode(codec.encode(original));

        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void factsKeepTheirOrderThroughJson() {
        Envelope original = TestEnvelopes.fullyPopulated();

        Envelope decoded = codec.decode(codec.encode(original));

        assertThat(decoded.content().facts())
                .extracting(Fact::label)
                .containsExactly("Partition", "Exit code", "Account", "CPU efficiency");
    }

    @Test
    void createdAtKeepsNanosecondsAndIsWrittenAsIsoText() throws Exception {
        Envelope original = TestEnvelopes.fullyPopulated();

        String encoded = codec.encode(original);

        assertThat(json.readTree(encoded).get("createdAt").asText()).isEqualTo("2026-01-05T09:11:40.123456789Z");
        assertThat(codec.decode(encoded).createdAt()).isEqualTo(TestEnvelopes.CREATED);
    }

    @Test
    void slurmJobSurvivesRoundTripWithUserTextInName() {
        Envelope original = TestEnvelopes.fullyPopulated();

        SlurmJob job = codec.decode(codec.encode(original)).slurm();

        assertThat(job).isEqualTo(original.slurm());
        assertThat(job.name()).isEqualTo("train \"model\", v2 | π");
    }

    @Test
    void encodedEnvelopeCarriesVersionOne() throws Exception {
        String encoded = codec.encode(TestEnvelopes.fullyPopulated());

        assertThat(json.readTree(encoded).get("v").asInt()).isEqualTo(1);
    }

    @Test
    void minimalEnvelopeSurvivesRoundTripWithEmptyListsAndNulls() {
        Envelope original = TestEnvelopes.withText("hello");

        Envelope decoded = codec.decode(codec.encode(original));

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.content().facts()).isEmpty();
        assertThat(decoded.slurm()).isNull();
    }

    // --- tolerance ----------------------------------------------------------------------------

    @Test
    void unknownTopLevelFieldsAreTolerated() throws Exception {
        Envelope original = TestEnvelopes.fullyPopulated();
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(original));
        tree.put("priority", "high");
        tree.putObject("routing").put("region", "eu-west-1");
        tree.putArray("tags").add("a").add("b");

        assertThat(codec.decode(json.writeValueAsString(tree))).isEqualTo(original);
    }

    @Test
    void unknownNestedFieldsAreTolerated() throws Exception {
        Envelope original = TestEnvelopes.fullyPopulated();
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(original));
        ((ObjectNode) tree.get("content")).put("markdown", "**done**");
        ((ObjectNode) tree.get("content").get("facts").get(0)).put("style", "bold");
        ((ObjectNode) tree.get("slurm")).put("qos", "normal");
        ((ObjectNode) tree.get("origin")).putObject("future").put("x", 1);
        ((ObjectNode) tree.get("sender")).put("replyTo", "noreply@example.org");

        assertThat(codec.decode(json.writeValueAsString(tree))).isEqualTo(original);
    }

    // --- refusals -----------------------------------------------------------------------------

    @Test
    void versionTwoIsRefusedNamingTheVersion() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.put("v", 2);

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("version 2")
                .hasMessageContaining("reads version 1");
    }

    @Test
    void missingVersionIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.remove("v");

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("'v'")
                .hasMessageContaining("missing");
    }

    @Test
    void nonNumericVersionIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.put("v", "one");

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("'v'");
    }

    @Test
    void fractionalVersionIsRefusedNotRoundedToOne() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.put("v", 1.5);

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("'v'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"target", "channel", "content", "id", "createdAt"})
    void missingRequiredFieldIsRefusedNamingIt(String field) throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.remove(field);

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("'" + field + "'")
                .hasMessageContaining("missing");
    }

    @Test
    void nullTargetIsRefusedAsMissing() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.putNull("target");

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessage("field 'target' is missing");
    }

    @Test
    void blankTargetIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.put("target", "   ");

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("'target'");
    }

    @Test
    void contentWithoutTitleOrTextIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        ((ObjectNode) tree.get("content")).remove(List.of("title", "text"));

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining("neither 'title' nor 'text'");
    }

    @Test
    void textThatIsNotJsonIsRefusedAsNotJson() {
        assertThatThrownBy(() -> codec.decode("Subject: hello\n\nthis is a mail, not JSON"))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageStartingWith("not valid JSON")
                .hasMessageContaining("line 1");
    }

    @Test
    void truncatedJsonIsRefusedAsNotJson() {
        String encoded = codec.encode(TestEnvelopes.fullyPopulated());

        assertThatThrownBy(() -> codec.decode(encoded.substring(0, encoded.length() / 2)))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2,3]", "\"an envelope\"", "42", "null", "true"})
    void jsonThatIsNotAnObjectIsRefused(String body) {
        assertThatThrownBy(() -> codec.decode(body))
                .isInstanceOf(MalformedEnvelopeException.class)
                .hasMessage("not a JSON object");
    }

    @Test
    void emptyBodyIsRefused() {
        assertThatThrownBy(() -> codec.decode("")).isInstanceOf(MalformedEnvelopeException.class);
    }

    @Test
    void wrongTypeInsideIsRefusedNotThrownAsSomethingElse() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(TestEnvelopes.fullyPopulated()));
        tree.put("content", "just a string");

        assertThatThrownBy(() -> codec.decode(json.writeValueAsString(tree)))
                .isInstanceOf(MalformedEnvelopeException.class);
    }

    @Test
    void refusalDoesNotQuoteTheMessageBody() {
        String secret = "s3cr3t-token-in-body-" + "y".repeat(200);

        Throwable refused = catchThrowableOfType(
                MalformedEnvelopeException.class,
                () -> codec.decode("{\"v\":1,\"channel\":\"email\",\"text\":\"" + secret + "\""));

        assertThat(refused.getMessage()).doesNotContain(secret);
    }

    // --- size limit ---------------------------------------------------------------------------

    @Test
    void envelopeOneByteOverTheLimitIsRefusedWithSizeAndLimit() {
        Envelope tooBig = TestEnvelopes.ofEncodedSize(codec, LIMIT + 1);

        EnvelopeTooLargeException e = catchThrowableOfType(EnvelopeTooLargeException.class, () -> codec.encode(tooBig));

        assertThat(e.actualBytes()).isEqualTo(LIMIT + 1);
        assertThat(e.limitBytes()).isEqualTo(LIMIT);
        assertThat(e.getMessage()).contains("1,048,577").contains("1,048,576").contains(tooBig.id());
    }

    @Test
    void envelopeExactlyAtTheLimitIsAccepted() {
        Envelope atLimit = TestEnvelopes.ofEncodedSize(codec, LIMIT);

        String encoded = codec.encode(atLimit);

        assertThat(EnvelopeCodec.utf8(encoded)).hasSize(LIMIT);
        assertThat(codec.decode(encoded)).isEqualTo(atLimit);
    }

    @Test
    void multiByteTextIsMeasuredInBytesNotCharacters() {
        Envelope probe = TestEnvelopes.withText("x");
        int base = EnvelopeCodec.utf8(codec.encode(probe)).length - 1;
        // '€' is 3 bytes in UTF-8: 400,000 of them are far fewer characters than the limit but more bytes.
        String euros = "€".repeat(400_000);
        Envelope envelope = TestEnvelopes.withText(euros);
        assertThat(base + euros.length()).isLessThan(LIMIT);

        EnvelopeTooLargeException e =
                catchThrowableOfType(EnvelopeTooLargeException.class, () -> codec.encode(envelope));

        assertThat(e.actualBytes()).isEqualTo(base + 3 * 400_000);
        assertThat(e.getMessage())
                .contains(String.format(Locale.ROOT, "%,d", base + 1_200_000))
                .contains("1,048,576");
    }

    @Test
    void surrogatePairsCountAsTheTwelveBytesOfTheirEscapes() {
        Envelope probe = TestEnvelopes.withText("x");
        int base = EnvelopeCodec.utf8(codec.encode(probe)).length - 1;
        // The codec escapes every surrogate (its escape hook sees one char at a time, so it cannot
        // tell a pair from a lone one SQS would refuse): an emoji travels as two 6-byte escapes,
        // so this text is 1 byte too many.
        String text = "x".repeat(LIMIT - base - 11) + "\uD83D\uDE80";
        Envelope envelope = TestEnvelopes.withText(text);

        EnvelopeTooLargeException e =
                catchThrowableOfType(EnvelopeTooLargeException.class, () -> codec.encode(envelope));

        assertThat(e.actualBytes()).isEqualTo(LIMIT + 1);
    }

    @Test
    void multiByteEnvelopeExactlyAtTheLimitIsAccepted() {
        Envelope probe = TestEnvelopes.withText("x");
        int base = EnvelopeCodec.utf8(codec.encode(probe)).length - 1;
        int room = LIMIT - base;
        String text = "€".repeat(room / 3) + "x".repeat(room % 3);

        String encoded = codec.encode(TestEnvelopes.withText(text));

        assertThat(EnvelopeCodec.utf8(encoded)).hasSize(LIMIT);
    }

    @Test
    void smallerConfiguredLimitIsEnforced() {
        EnvelopeCodec small = new EnvelopeCodec(1024);

        assertThatThrownBy(() -> small.encode(TestEnvelopes.withText("x".repeat(2000))))
                .isInstanceOf(EnvelopeTooLargeException.class)
                .hasMessageContaining("1,024");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, LIMIT + 1})
    void limitBeyondWhatSqsAcceptsIsRejected(int maxBytes) {
        assertThatThrownBy(() -> new EnvelopeCodec(maxBytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unicodeIsWrittenAsUtf8NotEscaped() {
        String encoded = codec.encode(TestEnvelopes.withText("Grüße ✓"));

        assertThat(encoded).contains("Grüße ✓");
        assertThatCode(() -> codec.decode(encoded)).doesNotThrowAnyException();
    }
}
