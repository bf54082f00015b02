package io.wavestore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a store answers to bytes written on a socket as they are: requests no HTTP client would send (a NUL in the
 * target, a lone CR in a header, a garbage request line). Reads one answer (headers and a Content-Length body).
 */
record RawAnswer(int status, String contentType, String body, Duration took) {

    static RawAnswer send(URI store, String request, Duration within) throws IOException {
        long started = System.nanoTime();
        try (Socket socket = new Socket(store.getHost(), store.getPort())) {
            socket.setSoTimeout((int) within.multipliedBy(5).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head.isEmpty()) {
                return new RawAnswer(-1, "", "connection closed without an answer", elapsed(started));
            }
            int status = Integer.parseInt(head.substring(9, 12));
            String contentType = header(head, "content-type");
            String length = header(head, "content-length");
            byte[] body = length.isEmpty() ? new byte[0] : in.readNBytes(Integer.parseInt(length));
            return new RawAnswer(status, contentType, new String(body, StandardCharsets.UTF_8), elapsed(started));
        } catch (SocketTimeoutException e) {
            return new RawAnswer(-1, "", "no answer within " + within.multipliedBy(5), elapsed(started));
        }
    }

    /** Null when this is a 4xx problem answered in time; else what is wrong with it. */
    String problemOrWhy() {
        if (status < 400 || status >= 500) {
            return "status " + status + ": " + HostileInputIT.abbreviate(body);
        }
        if (took.compareTo(HostileInputIT.SLOWEST_ANSWER) > 0) {
            return "took " + took.toMillis() + " ms";
        }
        try {
            JsonNode problem = new ObjectMapper().readTree(body);
            if (contentType.startsWith("application/problem+json")
                    && problem.path("type").asText().startsWith("urn:wavestore:problem:")
                    && problem.path("status").asInt() == status) {
                return null;
            }
        } catch (IOException e) {
            // reported below
        }
        return status + " as '" + contentType + "': " + HostileInputIT.abbreviate(body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
