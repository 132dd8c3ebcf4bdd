package io.herald.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that announce a full-size body and then send almost nothing (issue 15, finding 4: 990 such connections took
 * the API's live heap from 31 MB to 300 MB, its body buffer allocated at the declared length). Opens the connections,
 * each with its headers and a few bytes of body, and keeps them open until closed; {@link #closedByServer} counts the
 * ones the server gave up on.
 */
final class SlowUploads implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();

    SlowUploads(int port, int connections, int declaredBytes) throws IOException {
        byte[] head = ("POST /v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + declaredBytes + "\r\n\r\n{\"to\":\"mailto:a@")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                OutputStream out = socket.getOutputStream();
                out.write(head);
                out.flush();
            } catch (IOException refused) {
                socket.close();
                continue;
            }
            sockets.add(socket);
        }
    }

    int opened() {
        return sockets.size();
    }

    /** How many of the connections the server has answered or closed by now. */
    int closedByServer() {
        int closed = 0;
        for (Socket socket : sockets) {
            try {
                socket.setSoTimeout(1);
                InputStream in = socket.getInputStream();
                // A byte (an answer such as 408) or the end of the stream: either way the server is done.
                in.read();
                closed++;
            } catch (SocketTimeoutException stillWaiting) {
                // the server is still waiting for the body
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }
}
