package io.herald.core.preferences;

import io.herald.core.receiver.Receiver;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Unix user's choices. Build them through {@link PreferencesCodec}, which checks every field; this record only
 * keeps them.
 *
 * @param user the Unix user name (SLURM_JOB_USER)
 * @param receivers the user's receivers by a name of their choosing, in their order
 * @param events per kind of event, which receivers and how often; a kind not listed goes to all receivers at once
 * @param quietHours when notifications wait, or null for never
 * @param mute clusters and partitions the user hears nothing from
 * @param updatedAt when they were last saved (null before saving)
 * @param updatedBy who saved them: an API key's name, or {@code cli:<login>}
 */
public record UserPreferences(
        String user,
        Map<String, Receiver> receivers,
        Map<EventKind, EventRule> events,
        QuietHours quietHours,
        Mute mute,
        Instant updatedAt,
        String updatedBy) {

    public UserPreferences {
        Objects.requireNonNull(user, "user");
        receivers = Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
        events = events.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(events));
        mute = mute == null ? Mute.NONE : mute;
    }

    /** The receivers an event of this kind goes to, in the user's order; empty: the user does not want it. */
    public List<Receiver> receiversFor(EventKind kind) {
        EventRule rule = events.get(kind);
        if (rule == null) {
            return List.copyOf(receivers.values());
        }
        return rule.receivers().stream()
                .map(receivers::get)
                .filter(Objects::nonNull)
                .toList();
    }

    public Digest digestFor(EventKind kind) {
        EventRule rule = events.get(kind);
        return rule == null ? Digest.IMMEDIATE : rule.digest();
    }

    public Optional<QuietHours> quiet() {
        return Optional.ofNullable(quietHours);
    }

    /** The same choices, stamped as saved. */
    public UserPreferences savedAt(Instant at, String by) {
        return new UserPreferences(user, receivers, events, quietHours, mute, at, by);
    }
}
