package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.control.Pause;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.core.feedback.Suppression;
import io.herald.core.feedback.Suppressions;
import io.herald.core.receiver.EmailAddresses;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "suppressions",
        mixinStandardHelpOptions = true,
        description = {
            "Show or change the one suppression list: addresses Herald does not email. Hard bounces, complaints",
            "and unsubscribes reported by the providers add to it; every pipeline checks each email against it",
            "before any provider is called (and before failover), and an email to a listed address ends",
            "`suppressed`, unsent. It lives in the status table (status.*), the same as the API's",
            "/v1/admin/suppressions; pipelines see a change within about a second."
        },
        subcommands = {
            SuppressionsCommand.ListSuppressions.class,
            SuppressionsCommand.AddSuppression.class,
            SuppressionsCommand.RemoveSuppression.class
        })
final class SuppressionsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Herald.missingSubcommand(spec);
    }

    interface Action {
        int run(Suppressions list, PrintWriter out, PrintWriter err);
    }

    /** The list reached with a one-line error (exit 1). */
    static int withList(OpsTarget ops, CommandSpec spec, Action action) {
        HeraldConfig cfg = ops.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (StatusStores stores = StatusStores.open(cfg, false, Clock.systemUTC())) {
            return action.run(stores.suppressions(), out, err);
        } catch (FeedbackStoreException e) {
            err.println("herald: " + e.getMessage()
                    + (ops.local
                            ? " (is `herald local` running? it prints its addresses when it starts)"
                            : " (is status.endpoint / " + ConfigLoader.environmentVariable("status.endpoint")
                                    + " right, and table " + cfg.status().table() + " there?)"));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** ADDRESS checked: exit 2 naming what is wrong. */
    static String address(CommandSpec spec, String address) {
        Optional<String> problem = EmailAddresses.problem(address.strip());
        if (problem.isPresent()) {
            throw Herald.usage(spec, "ADDRESS " + problem.get());
        }
        return Suppression.normalize(address);
    }

    /** The {@code --json} shape: the same as the API's {@code /v1/admin/suppressions} answer. */
    record SuppressionJson(String address, String category, String reason, String source, String at) {
        static SuppressionJson of(Suppression s) {
            return new SuppressionJson(s.address(), s.category(), s.reason(), s.source(), s.at().toString());
        }
    }

    static Map<String, List<SuppressionJson>> json(List<Suppression> entries) {
        return Map.of("suppressions", entries.stream().map(SuppressionJson::of).toList());
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "List the entries, newest first: address, category (* = all), when, source and reason.",
                "Without --address the whole list is read (a scan of the status table)."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:listed (an empty list too)",
                "1:the status table cannot be read",
                "2:bad usage (--address is no email address, --limit out of range) or configuration"
            })
    static final class ListSuppressions implements Callable<Integer> {

        @Mixin
        OpsTarget ops;

        @Option(names = "--address", paramLabel = "ADDRESS", description = "Only this address's entries.")
        String address;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "100",
                description = "At most N entries, 1 to 1000. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String which = address == null ? null : address(spec, address);
            if (limit < 1 || limit > 1000) {
                throw Herald.usage(spec, "--limit must be from 1 to 1000, got " + limit);
            }
            return withList(ops, spec, (list, out, err) -> {
                List<Suppression> entries = list.list(which, limit);
                if (ops.json) {
                    JsonOutput.print(out, json(entries));
                } else if (entries.isEmpty()) {
                    out.println(which == null ? "Nothing is suppressed." : which + " is not suppressed.");
                } else {
                    TextTable table = new TextTable("ADDRESS", "CATEGORY", "SINCE", "SOURCE", "REASON");
                    entries.forEach(
                            s -> table.row(s.address(), s.category(), s.at().toString(), s.source(), s.reason()));
                    table.print(out);
                }
                return 0;
            });
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Stop all email to ADDRESS (every category), with REASON. Its source is admin:<--by>.",
                "Adding an address that is listed replaces its all-categories entry."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:added",
                "1:the status table cannot be written",
                "2:bad usage (ADDRESS is no email address, --reason missing or not one line) or configuration"
            })
    static final class AddSuppression implements Callable<Integer> {

        @Mixin
        OpsTarget ops;

        @Parameters(index = "0", paramLabel = "ADDRESS", description = "The email address.")
        String address;

        @Option(
                names = "--reason",
                required = true,
                paramLabel = "TEXT",
                description = "Why (one line, at most " + Pause.MAX_REASON_CHARS + " characters), e.g. "
                        + "\"asked by phone, ticket 4711\".")
        String reason;

        @Option(
                names = "--by",
                paramLabel = "NAME",
                defaultValue = "cli",
                description = "Who, recorded as the source admin:NAME. Default: ${DEFAULT-VALUE}.")
        String by;

        @Spec
        CommandSpec spec;

        /** Stamps the entry; a test gives its own. */
        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            String normalized = address(spec, address);
            String why = reason.strip();
            if (why.isEmpty()) {
                throw Herald.usage(spec, "--reason must not be empty");
            }
            Pause.reasonProblem(why).ifPresent(p -> {
                throw Herald.usage(spec, "--reason " + p);
            });
            Suppression entry = new Suppression(
                    normalized, Suppression.ALL_CATEGORIES, why, "admin:" + by.strip(), clock.instant());
            return withList(ops, spec, (list, out, err) -> {
                list.add(entry);
                if (ops.json) {
                    JsonOutput.print(out, SuppressionJson.of(entry));
                } else {
                    out.println("Suppressed " + normalized + " (every category). Pipelines stop emailing it within "
                            + "about a second. Undo with: herald suppressions remove " + normalized);
                }
                return 0;
            });
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Remove every entry of ADDRESS: it may be emailed again, in every category, and its soft "
                    + "bounces are counted afresh.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:removed",
                "1:ADDRESS had no entry, or the status table cannot be written",
                "2:bad usage (ADDRESS is no email address) or configuration"
            })
    static final class RemoveSuppression implements Callable<Integer> {

        @Mixin
        OpsTarget ops;

        @Parameters(index = "0", paramLabel = "ADDRESS", description = "The email address.")
        String address;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String normalized = address(spec, address);
            return withList(ops, spec, (list, out, err) -> {
                boolean removed = list.remove(normalized);
                if (ops.json) {
                    JsonOutput.print(out, Map.of("address", normalized, "removed", removed));
                }
                if (!removed) {
                    err.println("herald: " + normalized + " is not suppressed");
                    return 1;
                }
                if (!ops.json) {
                    out.println("Removed " + normalized + " from the suppression list.");
                }
                return 0;
            });
        }
    }
}
