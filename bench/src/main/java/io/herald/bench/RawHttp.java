package io.herald.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 spoken byte by byte over a socket, for requests no well-behaved client would send (CR/LF or raw bytes in
 * headers, lying Content-Length, broken chunking). Every request closes its connection, so the answer is everything
 * read until the server closes.
 */
final class RawHttp {

    /** What came back: a status (0 if none could be read), the body, or what went wrong. */
    record Answer(int status, String body, String failure) {
        boolean answered() {
            return status > 0;
        }
    }

    private final int port;
    private final int timeoutMillis;

    RawHttp(int port, int timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends {@code request} as is, half-closes, and reads the answer. */
    Answer exchange(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException writeCut) {
                // The server may answer and close before reading everything (an oversize body): read what it said.
            }
            byte[] raw = readAll(socket.getInputStream());
            return parse(raw);
        } catch (SocketTimeoutException e) {
            return new Answer(0, "", "no answer within " + timeoutMillis + " ms");
        } catch (IOException e) {
            return new Answer(0, "", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        try {
            while ((n = in.read(chunk)) > 0) {
                buffer.write(chunk, 0, n);
            }
        } catch (IOException reset) {
            if (buffer.size() == 0) {
                throw reset;
            }
            // A reset after the answer arrived (unread request bytes): the answer stands.
        }
        return buffer.toByteArray();
    }

    static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.")) {
            return new Answer(
                    0, "", raw.length == 0 ? "connection closed without an answer" : "not HTTP: " + abbreviate(text));
        }
        int space = text.indexOf(' ');
        int status = Integer.parseInt(text.substring(space + 1, space + 4));
        int headersEnd = text.indexOf("\r\n\r\n");
        String body = headersEnd < 0
                ? ""
                : new String(raw, headersEnd + 4, raw.length - headersEnd - 4, StandardCharsets.UTF_8);
        if (text.substring(0, Math.max(0, headersEnd))
                .toLowerCase(java.util.Locale.ROOT)
                .contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, body, null);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].strip(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
