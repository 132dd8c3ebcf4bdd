package io.herald.core.preferences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.receiver.Receiver;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreferencesCodecTest {

    private static final Set<String> CHANNELS = Set.of("email", "telegram");
    private final PreferencesCodec codec = new PreferencesCodec();

    private PreferencesCodec.Read read(String user, String json) throws Exception {
        return codec.read(user, codec.parse(json), CHANNELS);
    }

    private UserPreferences valid(String json) throws Exception {
        PreferencesCodec.Read read = read("alice", json);
        assertThat(read).as(read.toString()).isInstanceOf(PreferencesCodec.Valid.class);
        return ((PreferencesCodec.Valid) read).preferences();
    }

    private Map<String, String> errors(String user, String json) throws Exception {
        PreferencesCodec.Read read = read(user, json);
        assertThat(read).isInstanceOf(PreferencesCodec.Invalid.class);
        return ((PreferencesCodec.Invalid) read).errors();
    }

    @Test
    void aFullDocumentReadsIntoEveryChoice() throws Exception {
        UserPreferences p = valid("""
                {"receivers": {"work": "mailto:alice@uni.org", "phone": "telegram:123456"},
                 "events": {"FAIL": {"receivers": ["work", "phone"]},
                            "end": {"receivers": ["work"], "digest": "hourly"},
                            "BEGIN": {"receivers": []}},
                 "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "Europe/Berlin", "breakThrough": ["FAIL"]},
                 "mute": {"clusters": ["test"], "partitions": ["debug", "big/gpu"]}}""");

        assertThat(p.receivers()).containsOnlyKeys("work", "phone");
        assertThat(p.receiversFor(EventKind.FAIL))
                .extracting(Receiver::target)
                .containsExactly("alice@uni.org", "123456");
        assertThat(p.receiversFor(EventKind.END)).extracting(Receiver::channel).containsExactly("email");
        assertThat(p.digestFor(EventKind.END)).isEqualTo(Digest.HOURLY);
        assertThat(p.receiversFor(EventKind.BEGIN)).as("[] means: not told").isEmpty();
        assertThat(p.receiversFor(EventKind.REQUEUE))
                .as("a kind not listed goes to all")
                .hasSize(2);
        assertThat(p.digestFor(EventKind.REQUEUE)).isEqualTo(Digest.IMMEDIATE);
        assertThat(p.quietHours().from()).isEqualTo(LocalTime.of(22, 0));
        assertThat(p.quietHours().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(p.mute().reason("test", "any"))
                .hasValueSatisfying(r -> assertThat(r).contains("cluster test"));
        assertThat(p.mute().reason("big", "gpu")).isPresent();
        assertThat(p.mute().reason("small", "gpu"))
                .as("big/gpu mutes gpu on big only")
                .isEmpty();
        assertThat(p.mute().reason("small", "debug")).isPresent();
    }

    @Test
    void whatIsWrittenReadsBackTheSameIncludingWhenAndWhoSaved() throws Exception {
        UserPreferences p = valid("""
                {"receivers": {"work": "mailto:alice@uni.org"}, "events": {"END": {"digest": "daily"}},
                 "quietHours": {"from": "23:30", "to": "06:00", "timeZone": "UTC",
                                "breakThrough": ["FAIL", "TIME_LIMIT"]}}\
                """).savedAt(Instant.parse("2026-12-07T15:00:00Z"), "ops");

        UserPreferences back = codec.readSaved("alice", codec.writeString(p));

        assertThat(back).isEqualTo(p);
        PreferencesCodec.Read again = codec.read("alice", codec.write(p), CHANNELS);
        assertThat(again).as("what GET shows can be PUT back as it is").isInstanceOf(PreferencesCodec.Valid.class);
    }

    @Test
    void everyBadFieldIsNamedWithItsPathInOneAnswer() throws Exception {
        Map<String, String> errors = errors("alice", """
                {"receivers": {"work": "mailto:not-an-address", "pager": "sms:555", "bare": "alice", "room": "slack:x"},
                 "events": {"FINISHED": {}, "END": {"receivers": ["home"], "digest": "weekly"}},
                 "quietHours": {"from": "25:00", "to": "7", "timeZone": "Mars/Olympus", "breakThrough": ["NAP"]},
                 "mute": {"clusters": [""], "nodes": ["cn1"]},
                 "quietHour": {}}""");

        assertThat(errors)
                .containsKeys(
                        "receivers.work",
                        "receivers.pager",
                        "receivers.bare",
                        "receivers.room",
                        "events",
                        "events.END.receivers[0]",
                        "quietHours.from",
                        "quietHours.to",
                        "quietHours.timeZone",
                        "quietHours.breakThrough[0]",
                        "mute.clusters[0]",
                        "mute.nodes",
                        "quietHour");
        assertThat(errors.get("receivers.pager")).contains("unknown scheme 'sms'");
        assertThat(errors.get("receivers.bare")).contains("scheme:target");
        assertThat(errors.get("receivers.room"))
                .as("a channel without a provider is refused with the reason")
                .contains("channel slack has no provider")
                .contains("email, telegram");
        assertThat(errors.get("events")).contains("FINISHED");
        assertThat(errors.get("events.END.receivers[0]")).contains("'home'");
        assertThat(errors.get("quietHours.timeZone")).contains("Mars/Olympus");
    }

    @Test
    void aDigestOutsideTheThreeIsRefused() throws Exception {
        assertThat(errors("alice", """
                {"receivers": {"w": "mailto:a@b.org"}, "events": {"END": {"digest": "weekly"}}}\
                """)).containsEntry("events.END.digest", "must be immediate, hourly or daily");
    }

    @Test
    void receiversAreRequiredAndQuietHoursMustSpanTime() throws Exception {
        assertThat(errors("alice", "{}")).containsKey("receivers");
        assertThat(errors("alice", "{\"receivers\": {}}")).containsEntry("receivers", "needs at least one receiver");
        assertThat(errors("alice", """
                {"receivers": {"w": "mailto:a@b.org"},
                 "quietHours": {"from": "22:00", "to": "22:00", "timeZone": "UTC"}}\
                """)).containsEntry("quietHours.to", "must differ from quietHours.from");
        assertThat(errors("alice", "[1,2]")).containsKey("base");
    }

    @Test
    void theUserMustBeAUnixNameAndTheDocumentMayNotNameAnother() throws Exception {
        assertThat(errors("bad,user", "{\"receivers\": {\"w\": \"mailto:a@b.org\"}}"))
                .containsKey("user");
        assertThat(errors("-rf", "{\"receivers\": {\"w\": \"mailto:a@b.org\"}}"))
                .containsKey("user");
        assertThat(errors("alice", "{\"user\": \"bob\", \"receivers\": {\"w\": \"mailto:a@b.org\"}}"))
                .containsKey("user");
        assertThat(PreferencesCodec.userProblem("alice.smith@AD")).isNull();
    }

    @Test
    void quietHoursOverMidnightHoldAtNightAndEndInTheMorningOfTheirZone() {
        QuietHours q = new QuietHours(
                LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneId.of("Europe/Berlin"), Set.of(EventKind.FAIL));
        Instant lateEvening = Instant.parse("2026-12-07T22:30:00Z"); // 23:30 in Berlin
        Instant noon = Instant.parse("2026-12-07T11:00:00Z");

        assertThat(q.holds(EventKind.END, lateEvening)).isTrue();
        assertThat(q.holds(EventKind.FAIL, lateEvening))
                .as("FAIL breaks through")
                .isFalse();
        assertThat(q.holds(EventKind.END, noon)).isFalse();
        assertThat(q.endAfter(lateEvening)).isEqualTo(Instant.parse("2026-12-08T06:00:00Z"));
    }

    @Test
    void eventKindsAndDigestsReadAsUsersTypeThem() {
        assertThat(EventKind.parse("time_limit_80")).contains(EventKind.TIME_LIMIT_80);
        assertThat(EventKind.parse("ALL")).isEmpty();
        assertThat(Digest.parse("Hourly")).contains(Digest.HOURLY);
        assertThat(List.of(Digest.values())).extracting(Digest::label).containsExactly("immediate", "hourly", "daily");
    }

    @Test
    void aNodeWrittenByTheCodecIsJson() {
        UserPreferences p = new UserPreferences("alice", Map.of(), Map.of(), null, null, null, null);
        JsonNode node = codec.write(p);
        assertThat(node.get("user").asText()).isEqualTo("alice");
        assertThat(node.has("quietHours")).isFalse();
    }
}
