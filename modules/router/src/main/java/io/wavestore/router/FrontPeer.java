package io.wavestore.router;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * The data plane hands the store's requests to pekko-http on a loopback port: pekko then sees the data plane as the
 * peer (requests handed over in-process carry the browser's address already, {@link InProcessRequests}). A connection relayed as bytes is known by the data plane's port on the loopback, which maps to the browser's
 * address here (one process). A request the data plane parsed says who the peer was in a header only it can write (it
 * carries a secret of this process, and the data plane replaces whatever a client sent in it); pekko-http takes the
 * peer from either.
 */
final class FrontPeer {

    static final String HEADER = "x-wavestore-front-peer";

    private final String secret;
    /** The store's connections relayed as bytes: the data plane's local port on the loopback, and the browser. */
    private final java.util.Map<Integer, InetSocketAddress> relayed = new java.util.concurrent.ConcurrentHashMap<>();

    FrontPeer() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        this.secret = HexFormat.of().formatHex(bytes);
    }

    /** The header's value for this peer. */
    String value(InetSocketAddress peer) {
        return secret + " " + peer.getAddress().getHostAddress() + " " + peer.getPort();
    }

    /** A browser's connection to the store is relayed from this loopback port. */
    void connected(int loopbackPort, InetSocketAddress browser) {
        relayed.put(loopbackPort, browser);
    }

    void disconnected(int loopbackPort) {
        relayed.remove(loopbackPort);
    }

    /** The request as the browser sent it to the data plane: its peer, and without the header. */
    HttpRequest restore(HttpRequest request) {
        Optional<org.apache.pekko.http.javadsl.model.HttpHeader> header = request.getHeader(HEADER);
        if (header.isEmpty()) {
            if (request.getAttribute(InProcessRequests.IN_PROCESS).isPresent()) {
                return request; // handed over in-process: its remote address is the browser's already
            }
            return request.getAttribute(AttributeKeys.remoteAddress)
                    .flatMap(address -> Optional.ofNullable(relayed.get(address.getPort())))
                    .map(browser -> request.addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(browser)))
                    .orElse(request);
        }
        HttpRequest without = request.removeHeader(HEADER);
        String[] parts = header.get().value().split(" ");
        if (parts.length != 3 || !java.security.MessageDigest.isEqual(parts[0].getBytes(), secret.getBytes())) {
            return without;
        }
        try {
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(parts[1]), Integer.parseInt(parts[2]));
            return without.addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(peer));
        } catch (UnknownHostException | NumberFormatException e) {
            return without;
        }
    }
}
