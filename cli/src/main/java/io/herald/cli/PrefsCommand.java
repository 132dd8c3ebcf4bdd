package io.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.preferences.DeliverableChannels;
import io.herald.core.preferences.EventRule;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.preferences.PreferencesStoreException;
import io.herald.core.preferences.QuietHours;
import io.herald.core.preferences.UserPreferences;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "prefs",
        mixinStandardHelpOptions = true,
        description = {
            "Show or set a Slurm user's preferences: their receivers, which of them per kind of job event,",
            "digests, quiet hours and muted clusters or partitions. They live in the status table (status.*),",
            "the same as the API's /v1/users/{user}/preferences; with mailprog.preferences.enabled the",
            "forwarder follows them for jobs whose --mail-user is Slurm's default (the bare user name).",
            "docs/slurm.md describes the document."
        },
        subcommands = {PrefsCommand.ShowPrefs.class, PrefsCommand.SetPrefs.class, PrefsCommand.DeletePrefs.class})
final class PrefsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Herald.missingSubcommand(spec);
    }

    interface Action {
        int run(PreferencesStore store, StatusStores stores, HeraldConfig cfg);
    }

    /** The user name checked (exit 2 when it is none), then the store reached with a one-line error (exit 1). */
    static int withStore(OpsTarget ops, String user, CommandSpec spec, Action action) {
        String problem = PreferencesCodec.userProblem(user);
        if (problem != null) {
            throw Herald.usage(spec, "USER " + problem);
        }
        HeraldConfig cfg = ops.load();
        PrintWriter err = spec.commandLine().getErr();
        try (StatusStores stores = StatusStores.open(cfg, false, Clock.systemUTC())) {
            return action.run(stores.preferences(), stores, cfg);
        } catch (PreferencesStoreException e) {
            err.println("herald: " + e.getMessage()
                    + (ops.local
                            ? " (is `herald local` running? it prints its addresses when it starts)"
                            : " (is status.endpoint / " + ConfigLoader.environmentVariable("status.endpoint")
                                    + " right, and table " + cfg.status().table() + " there?)"));
            err.flush();
            return 1;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print USER's preferences (--json: the document as the API shows it, ready for `set`).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:printed",
                "1:USER has no preferences, or the status table cannot be read",
                "2:bad usage (USER is no Unix user name) or configuration"
            })
    static final class ShowPrefs implements Callable<Integer> {

        @Mixin
        OpsTarget ops;

        @Parameters(index = "0", paramLabel = "USER", description = "The Unix user name (SLURM_JOB_USER).")
        String user;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withStore(ops, user, spec, (store, stores, cfg) -> {
                Optional<UserPreferences> prefs = store.find(user);
                PrintWriter out = spec.commandLine().getOut();
                if (prefs.isEmpty()) {
                    spec.commandLine()
                            .getErr()
                            .println("herald: " + user + " has no preferences: their notifications "
                                    + "go where --mail-user says, a bare one to the default receiver");
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                if (ops.json) {
                    JsonOutput.print(out, new PreferencesCodec().write(prefs.get()));
                } else {
                    print(out, prefs.get());
                }
                out.flush();
                return 0;
            });
        }

        private static void print(PrintWriter out, UserPreferences p) {
            out.println(p.user()
                    + (p.updatedAt() == null ? "" : " (saved " + p.updatedAt() + " by " + p.updatedBy() + ")"));
            p.receivers().forEach((name, r) -> out.printf("  receiver %-12s %s:%s%n", name, r.scheme(), r.target()));
            for (Map.Entry<io.herald.core.preferences.EventKind, EventRule> e :
                    p.events().entrySet()) {
                EventRule rule = e.getValue();
                out.printf(
                        "  %-14s -> %s, %s%n",
                        e.getKey(),
                        rule.receivers().isEmpty() ? "not sent" : String.join(", ", rule.receivers()),
                        rule.digest().label());
            }
            out.printf("  %-14s -> every receiver, immediate%n", p.events().isEmpty() ? "every event" : "other events");
            QuietHours q = p.quietHours();
            if (q != null) {
                out.printf(
                        "  quiet hours    %s-%s %s%s%n",
                        q.from(),
                        q.to(),
                        q.zone().getId(),
                        q.breakThrough().isEmpty()
                                ? ""
                                : ", breaking through: "
                                        + new TreeSet<>(q.breakThrough())
                                                .stream().map(Enum::name).collect(Collectors.joining(", ")));
            }
            if (!p.mute().clusters().isEmpty()) {
                out.println("  muted clusters   " + String.join(", ", p.mute().clusters()));
            }
            if (!p.mute().partitions().isEmpty()) {
                out.println("  muted partitions " + String.join(", ", p.mute().partitions()));
            }
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = {
                "Replace USER's preferences with the JSON document in FILE (- reads standard input), e.g.",
                "  {\"receivers\": {\"work\": \"mailto:alice@uni.org\", \"home\": \"mailto:alice@home.org\"},",
                "   \"events\": {\"FAIL\": {\"receivers\": [\"work\", \"home\"]},",
                "              \"BEGIN\": {\"receivers\": []}},",
                "   \"quietHours\": {\"from\": \"22:00\", \"to\": \"07:00\", \"timeZone\": \"Europe/Berlin\",",
                "                  \"breakThrough\": [\"FAIL\"]},",
                "   \"mute\": {\"partitions\": [\"debug\"]}}",
                "Every field is checked first; receivers on a channel without a provider (neither enabled in",
                "this configuration's providers.* nor reported by a running pipeline) are refused. Nothing is",
                "saved unless all is right."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:saved",
                "1:the status table cannot be written, or FILE cannot be read",
                "2:bad usage: USER is no Unix user name, or the document is refused (every field named)"
            })
    static final class SetPrefs implements Callable<Integer> {

        @Mixin
        OpsTarget ops;

        @Parameters(index = "0", paramLabel = "USER", description = "The Unix user name (SLURM_JOB_USER).")
        String user;

        @Parameters(index = "1", paramLabel = "FILE", description = "The preferences as JSON; - for standard input.")
        String file;

        @Spec
        CommandSpec spec;

        /** Where `-` reads from; a test gives its own. */
        InputStream stdin = System.in;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String text;
            try {
                text = "-".equals(file)
                        ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
            } catch (IOException e) {
                err.println("herald: cannot read " + file + ": " + Services.rootMessage(e));
                err.flush();
                return 1;
            }
            PreferencesCodec codec = new PreferencesCodec();
            JsonNode json;
            try {
                json = codec.parse(text);
            } catch (JsonProcessingException e) {
                throw Herald.usage(spec, file + " is not JSON: " + e.getOriginalMessage());
            }
            return withStore(ops, user, spec, (store, stores, cfg) -> {
                Set<String> channels = DeliverableChannels.of(cfg.providers().channelsWithProvider(), stores.control());
                UserPreferences prefs = switch (codec.read(user, json, channels)) {
                    case PreferencesCodec.Invalid(Map<String, String> errors) ->
                        throw Herald.usage(
                                spec,
                                "preferences refused: "
                                        + errors.entrySet().stream()
                                                .map(e -> e.getKey() + ": " + e.getValue())
                                                .collect(Collectors.joining("; ")));
                    case PreferencesCodec.Valid(UserPreferences valid) ->
                        valid.savedAt(Clock.systemUTC().instant(), "cli:" + System.getProperty("user.name", "unknown"));
                };
                store.save(prefs);
                PrintWriter out = spec.commandLine().getOut();
                if (ops.json) {
                    JsonOutput.print(out, codec.write(prefs));
                } else {
                    out.println("Saved the preferences of " + user + " ("
                            + prefs.receivers().size()
                            + " receiver(s)). The forwarder follows them within its mailprog.preferences.cacheFor.");
                }
                out.flush();
                return 0;
            });
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Remove USER's preferences: a bare --mail-user goes to the default receiver again.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:removed (or there were none)",
                "1:the status table cannot be written",
                "2:bad usage (USER is no Unix user name) or configuration"
            })
    static final class DeletePrefs implements Callable<Integer> {

        @Mixin
        OpsTarget ops;

        @Parameters(index = "0", paramLabel = "USER", description = "The Unix user name (SLURM_JOB_USER).")
        String user;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withStore(ops, user, spec, (store, stores, cfg) -> {
                boolean had = store.delete(user);
                PrintWriter out = spec.commandLine().getOut();
                out.println(had ? "Deleted the preferences of " + user + "." : user + " had no preferences.");
                out.flush();
                return 0;
            });
        }
    }
}
