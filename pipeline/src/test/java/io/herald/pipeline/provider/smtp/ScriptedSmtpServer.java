package io.herald.pipeline.provider.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An SMTP server that answers RCPT TO and the end of DATA with the replies a test chooses (GreenMail accepts
 * everything), speaking enough of RFC 5321 for Jakarta Mail: greeting, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. A null
 * DATA reply never answers, like a server that hangs. Public for the pipeline's own tests (per-domain pacing), which
 * need a receiver that defers one domain and accepts another.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket server;
    /** The reply to a RCPT TO, by the recipient's address. */
    private final Function<String, String> rcptReplies;

    private final Map<String, AtomicInteger> rcptsByDomain = new ConcurrentHashMap<>();
    private final String dataReply;
    private final Thread thread;
    private volatile int messagesAccepted;

    private final String authMechanism;

    ScriptedSmtpServer(String rcptReply, String dataReply) throws IOException {
        this(rcptReply, dataReply, null);
    }

    /**
     * @param authMechanism {@code PLAIN} or {@code LOGIN} to offer that one AUTH mechanism and refuse every login with
     *     a 535 that echoes what the client sent, base64 and decoded, as a careless server or proxy might; null for no
     *     AUTH
     */
    ScriptedSmtpServer(String rcptReply, String dataReply, String authMechanism) throws IOException {
        this(address -> rcptReply, dataReply, authMechanism);
    }

    /**
     * @param rcptReplies the reply to each RCPT TO, by the recipient's address (e.g. a 421 for one domain only)
     * @param dataReply the reply to the end of DATA
     */
    public ScriptedSmtpServer(Function<String, String> rcptReplies, String dataReply) throws IOException {
        this(rcptReplies, dataReply, null);
    }

    private ScriptedSmtpServer(Function<String, String> rcptReplies, String dataReply, String authMechanism)
            throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.rcptReplies = rcptReplies;
        this.dataReply = dataReply;
        this.authMechanism = authMechanism;
        this.thread = Thread.ofVirtual().start(this::serve);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** RCPT TO commands received for addresses of {@code domain}, whatever they were answered. */
    public int rcptsTo(String domain) {
        AtomicInteger count = rcptsByDomain.get(domain.toLowerCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    public int messagesAccepted() {
        return messagesAccepted;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                converse(socket);
            } catch (IOException e) {
                // The client went away or the server closed: wait for the next connection.
            }
        }
    }

    private void converse(Socket socket) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        reply(out, "220 fake.example.org ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
            switch (command) {
                case "EHLO" ->
                    reply(
                            out,
                            "250-fake.example.org\r\n250-8BITMIME\r\n"
                                    + (authMechanism == null ? "" : "250-AUTH " + authMechanism + "\r\n")
                                    + "250 SIZE 10240000");
                case "AUTH" -> {
                    String[] words = line.split(" ");
                    String sent;
                    if (words.length > 2) {
                        sent = words[2];
                    } else if (words[1].equalsIgnoreCase("LOGIN")) {
                        reply(out, "334 VXNlcm5hbWU6");
                        String user = in.readLine();
                        reply(out, "334 UGFzc3dvcmQ6");
                        sent = user + " " + in.readLine();
                    } else {
                        reply(out, "334 ");
                        sent = in.readLine();
                    }
                    StringBuilder decoded = new StringBuilder();
                    for (String part : sent.split(" ")) {
                        decoded.append(new String(java.util.Base64.getDecoder().decode(part), StandardCharsets.UTF_8)
                                        .replace('\0', ' '))
                                .append(' ');
                    }
                    reply(
                            out,
                            "535 5.7.8 Authentication failed for " + sent + " ("
                                    + decoded.toString().strip() + ")");
                }
                case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
                case "RCPT" -> {
                    // RCPT TO:<someone@domain>
                    String address =
                            line.substring(line.indexOf(':') + 1).strip().replaceAll("[<>]", "");
                    String domain =
                            address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
                    rcptsByDomain
                            .computeIfAbsent(domain, d -> new AtomicInteger())
                            .incrementAndGet();
                    reply(out, rcptReplies.apply(address));
                }
                case "DATA" -> {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message itself
                    }
                    if (dataReply == null) {
                        sleepQuietly();
                        return;
                    }
                    if (dataReply.startsWith("2")) {
                        messagesAccepted++;
                    }
                    reply(out, dataReply);
                }
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 Command not recognized");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Hangs like a stuck server until {@link #close} interrupts it: only the client's timeout ends the wait. */
    private static void sleepQuietly() {
        try {
            Thread.sleep(Duration.ofMinutes(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread.interrupt();
    }
}
