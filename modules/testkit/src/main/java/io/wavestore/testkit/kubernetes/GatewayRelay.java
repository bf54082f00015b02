package io.wavestore.testkit.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a server that listens on this machine's loopback reachable from the node's pods: it listens on the pod
 * network's gateway ({@link KubernetesNode#GATEWAY}, a free port) and copies the bytes of each connection to and from
 * 127.0.0.1:{@code target} unchanged (TLS passes through). The control plane's API server and the tests' PostgreSQL
 * listen on loopback only; pods reach them through one of these, as they would reach a server outside the cluster.
 */
final class GatewayRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayRelay.class);

    private final ServerSocket server;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private GatewayRelay(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
    }

    static GatewayRelay open(int target) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(KubernetesNode.GATEWAY));
            GatewayRelay relay = new GatewayRelay(server, target);
            Thread acceptor = new Thread(relay::accept, "gateway-relay-" + server.getLocalPort() + "-to-" + target);
            acceptor.setDaemon(true);
            acceptor.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the gateway for 127.0.0.1:" + target, e);
        }
    }

    /** The port on {@link KubernetesNode#GATEWAY} that pods connect to. */
    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                } catch (IOException e) {
                    LOG.warn("relay {} -> 127.0.0.1:{}: {}", port(), target, e.toString());
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                copy(client, upstream);
                copy(upstream, client);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("relay {} stopped accepting: {}", port(), e.toString());
                }
                return;
            }
        }
    }

    /** One direction of a connection; when either side ends, both sockets close (the other thread then ends too). */
    private void copy(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException closed) {
                // the peer or close() ended the connection
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "gateway-relay-" + port() + "-copy");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.forEach(this::closeQuietly);
    }
}
