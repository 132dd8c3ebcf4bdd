package io.herald.cli;

import io.herald.core.config.HeraldConfig;
import io.herald.core.dynamo.DynamoDbClients;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsQueues;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The training run of the class-data-sharing archive ({@code cli/src/main/cds/build-cds-archive.sh}): one JVM that
 * loads what the short commands load, so the archive built from its class list serves them all.
 *
 * <p>It runs {@code --version}, every command's {@code --help} and {@code config} in-process, then makes one SQS and
 * one DynamoDB call, as {@code queues}, {@code dlq} and the forwarder's start do, against a loopback port nothing
 * listens on: the SDK loads its whole request path and fails at the connect. Nothing it prints is shown; nothing leaves
 * this machine. Not a command: it is not in {@code --help}.
 */
public final class CdsTraining {

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(discard);
        System.setErr(discard);
        int runs = 0;
        try {
            for (List<String> command : commands()) {
                CommandLine cli = Herald.commandLine();
                cli.setOut(new PrintWriter(Writer.nullWriter()));
                cli.setErr(new PrintWriter(Writer.nullWriter()));
                cli.execute(command.toArray(String[]::new));
                runs++;
            }
            callClosedPort();
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        realOut.println("herald CDS training: " + runs + " commands and one SQS and DynamoDB call run");
    }

    /** {@code --version}, {@code --help} and each command's and sub-command's {@code --help}, {@code config}. */
    private static List<List<String>> commands() {
        List<List<String>> commands = new ArrayList<>(
                List.of(List.of("--version"), List.of("--help"), List.of("config"), List.of("config", "--keys")));
        addHelp(Herald.commandLine(), new ArrayList<>(), commands);
        return commands;
    }

    private static void addHelp(CommandLine command, List<String> path, List<List<String>> into) {
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().usageMessage().hidden()
                    || !sub.getCommandName().equals(name)) {
                return;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            List<String> help = new ArrayList<>(subPath);
            help.add("--help");
            into.add(help);
            addHelp(sub, subPath, into);
        });
    }

    private static void callClosedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HeraldConfig defaults = HeraldConfig.defaults();
        String endpoint = "http://127.0.0.1:" + port;
        HeraldConfig.Sqs sqsConfig = defaults.sqs().withEndpoint(endpoint);
        try (SqsClient sqs = SqsClients.create(sqsConfig)) {
            SqsQueues.resolve(sqs, sqsConfig);
        } catch (RuntimeException expected) {
            // refused: the request path up to the socket is loaded, which is what the archive needs
        }
        try (DynamoDbClient dynamo = DynamoDbClients.create(defaults.status().withEndpoint(endpoint))) {
            dynamo.describeTable(b -> b.tableName(defaults.status().table()));
        } catch (RuntimeException expected) {
            // refused, as above
        }
    }
}
