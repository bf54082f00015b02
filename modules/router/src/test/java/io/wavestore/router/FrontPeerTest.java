package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class FrontPeerTest {

    private final FrontPeer peer = new FrontPeer();

    @Test
    void theDataPlanesWordForThePeerIsTakenAndRemoved() throws Exception {
        String value = peer.value(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 4567));
        HttpRequest restored = peer.restore(HttpRequest.create("/").addHeader(RawHeader.create(FrontPeer.HEADER, value)));
        assertThat(restored.getHeader(FrontPeer.HEADER)).isEmpty();
        assertThat(restored.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress()).map(InetAddress::getHostAddress))
                .hasValue("10.1.2.3");
    }

    @Test
    void aClientsForgeryIsRemovedAndIgnored() {
        HttpRequest restored = peer.restore(HttpRequest.create("/")
                .addHeader(RawHeader.create(FrontPeer.HEADER, "guessed 6.6.6.6 1")));
        assertThat(restored.getHeader(FrontPeer.HEADER)).isEmpty();
        assertThat(restored.getAttribute(AttributeKeys.remoteAddress)).isEmpty();
        HttpRequest other = peer.restore(HttpRequest.create("/").addHeader(RawHeader.create(FrontPeer.HEADER,
                new FrontPeer().value(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))));
        assertThat(other.getAttribute(AttributeKeys.remoteAddress)).as("another process's secret").isEmpty();
    }

    @Test
    void aRequestHandedOverInProcessKeepsTheBrowsersAddressWhateverIsRelayedOnItsPort() throws Exception {
        InetSocketAddress browser = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 40000);
        peer.connected(40000, new InetSocketAddress(InetAddress.getByName("10.9.9.9"), 5));
        HttpRequest inProcess = HttpRequest.create("/")
                .addAttribute(AttributeKeys.remoteAddress, org.apache.pekko.http.javadsl.model.RemoteAddress.create(browser))
                .addAttribute(InProcessRequests.IN_PROCESS, true);
        assertThat(peer.restore(inProcess).getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress())
                .map(InetAddress::getHostAddress)).hasValue("10.1.2.3");
        HttpRequest forged = peer.restore(inProcess.addHeader(RawHeader.create(FrontPeer.HEADER, "guessed 6.6.6.6 1")));
        assertThat(forged.getHeader(FrontPeer.HEADER)).isEmpty();
        assertThat(forged.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress())
                .map(InetAddress::getHostAddress)).hasValue("10.1.2.3");
    }
}
