package io.herald.api;

import io.herald.core.control.ControlStore;
import io.herald.core.preferences.DeliverableChannels;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.preferences.UserPreferences;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Slurm user's preferences, for admin keys: {@code GET /v1/users/{user}/preferences} shows them, {@code PUT} replaces
 * them with a document {@link PreferencesCodec} checks field by field (a receiver on a channel that has no provider,
 * here or in a running pipeline, is refused with the reason). What GET shows can be PUT back as it is. The same store
 * as {@code herald prefs} and the forwarder.
 */
final class PreferencesHandler {

    private static final Logger log = LoggerFactory.getLogger(PreferencesHandler.class);
    private static final String EXPECTED = "a JSON object with receivers (and optionally events, quietHours, mute)";

    private final PreferencesStore store;
    private final Set<String> channels;
    private final ControlStore control;
    private final Intake intake;
    private final ApiJson json;
    private final Clock clock;
    private final PreferencesCodec codec = new PreferencesCodec();

    /**
     * @param store users' preferences, or null when this API has none (every request then gets 503)
     * @param channels the channels with a provider enabled in this configuration
     * @param control the pipelines' health reports, whose channels count too; or null
     */
    PreferencesHandler(
            PreferencesStore store,
            Set<String> channels,
            ControlStore control,
            Intake intake,
            ApiJson json,
            Clock clock) {
        this.store = store;
        this.channels = Set.copyOf(channels);
        this.control = control;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
    }

    void show(Context ctx) {
        show(ctx, ctx.pathParam("user"));
    }

    /** Shows {@code user}'s preferences: the path's user for admins, the session's own for self-service. */
    void show(Context ctx, String user) {
        String problem = PreferencesCodec.userProblem(user);
        if (problem != null) {
            json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), Map.of("user", problem)));
            return;
        }
        json.send(ctx, withStore(() -> {
            Optional<UserPreferences> prefs = store.find(user);
            return prefs.isPresent()
                    ? new Reply(HttpStatus.OK.getCode(), codec.writeString(prefs.get()))
                    : json.error(
                            HttpStatus.NOT_FOUND.getCode(),
                            user + " has no preferences: their notifications "
                                    + "go where --mail-user says, a bare one to the default receiver");
        }));
    }

    void save(Context ctx) throws IOException {
        save(
                ctx,
                ctx.pathParam("user"),
                "API key '" + RouteGuard.caller(ctx).name() + "'",
                RouteGuard.caller(ctx).name());
    }

    /**
     * Replaces {@code user}'s preferences.
     *
     * @param who who saves them, for the log
     * @param savedBy what the saved preferences name as their author ({@code updatedBy})
     */
    void save(Context ctx, String user, String who, String savedBy) throws IOException {
        Intake.Body body = intake.readObject(ctx, EXPECTED);
        if (body.refusal() != null) {
            json.send(ctx, body.refusal());
            return;
        }
        UserPreferences saved;
        switch (codec.read(user, body.object(), DeliverableChannels.of(channels, control))) {
            case PreferencesCodec.Invalid(Map<String, String> errors) -> {
                json.send(ctx, json.errors(HttpStatus.BAD_REQUEST.getCode(), errors));
                return;
            }
            case PreferencesCodec.Valid(UserPreferences prefs) -> saved = prefs.savedAt(clock.instant(), savedBy);
        }
        json.send(ctx, withStore(() -> {
            store.save(saved);
            log.info("preferences of {} saved by {}", user, who);
            return new Reply(HttpStatus.OK.getCode(), codec.writeString(saved));
        }));
    }

    private interface Work {
        Reply run();
    }

    private Reply withStore(Work work) {
        if (store == null) {
            return json.error(
                    HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                    "Preferences are not available: this API " + "has no status table");
        }
        try {
            return work.run();
        } catch (RuntimeException e) {
            log.warn("preferences store failed, answering 503: {}", e.getMessage());
            return intake.unavailable();
        }
    }
}
