package io.wavestore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for tests, which bind only 127.0.0.1 and never a fixed port. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A TCP port on 127.0.0.1 that nothing listens on right now: for a server the test starts next, or for an address
     * it expects to find closed.
     */
    public static int onLoopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }
}
