package io.wavestore.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The first bytes of a browser's connection decide what it is. Browsers keep a connection per origin, so its first
 * request's Host says it for the whole connection: an app's host name (the apps domain or a name under it) gets the
 * data plane's HTTP handling ({@link FrontHandler}); any other connection is the store's, and is relayed byte for
 * byte to the store's pekko-http routes on their loopback port, which parse it, refuse what is malformed with their
 * own problems, and time it out as they always did. Nothing of the store's traffic is parsed twice.
 */
final class FrontDoor extends ChannelInboundHandlerAdapter {

    /** Larger heads are the store's to refuse (431). */
    private static final int MAX_HEAD = 64 * 1024;

    private final DataPlane plane;
    private final HeaderClock clock;
    private ByteBuf seen;

    FrontDoor(DataPlane plane, HeaderClock clock) {
        this.plane = plane;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (seen == null) {
            seen = ctx.alloc().buffer(Math.max(256, bytes.readableBytes()));
        }
        seen.writeBytes(bytes);
        bytes.release();
        int end = endOfHead(seen);
        if (end < 0 && seen.readableBytes() <= MAX_HEAD) {
            return; // the head is not complete yet; the header clock watches
        }
        String host = end < 0 ? null : host(seen.toString(seen.readerIndex(), end, StandardCharsets.ISO_8859_1));
        if (host != null && plane.isAppHost(host)) {
            apps(ctx);
        } else {
            store(ctx);
        }
    }

    /** An app's connection: HTTP as the data plane handles it. */
    private void apps(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), "codec", new HttpServerCodec(8192, 64 * 1024, 64 * 1024))
                .addAfter("codec", "idle", new IdleStateHandler(0, 0, plane.settings().idleTimeout().toMillis(),
                        TimeUnit.MILLISECONDS))
                .addAfter("idle", "front", new FrontHandler(plane, clock));
        ByteBuf head = seen;
        seen = null;
        ctx.fireChannelRead(head); // to the codec, next in line
        pipeline.remove(this);
    }

    /** The store's connection: bytes to and from pekko-http, which learns the browser's address from {@link FrontPeer}. */
    private void store(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove("clock"); // the store's routes time a request's headers themselves
        ByteBuf head = seen;
        seen = null;
        pipeline.remove(this);
        InetSocketAddress store = plane.storeSocket();
        ChannelFuture connecting = plane.connections().connectRaw(client.eventLoop(), store.getHostString(), store.getPort());
        connecting.addListener(done -> client.eventLoop().execute(() -> {
            Channel upstream = connecting.channel();
            if (!done.isSuccess() || !client.isActive()) {
                head.release();
                client.close();
                upstream.close();
                return;
            }
            int loopbackPort = ((InetSocketAddress) upstream.localAddress()).getPort();
            plane.frontPeer().connected(loopbackPort, (InetSocketAddress) client.remoteAddress());
            upstream.closeFuture().addListener(closed -> plane.frontPeer().disconnected(loopbackPort));
            upstream.pipeline().addLast("relay", new ByteRelay(client));
            upstream.writeAndFlush(head);
            client.pipeline().addLast("relay", new ByteRelay(upstream));
        }));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (seen != null) {
            seen.release();
            seen = null;
        }
    }

    /** Where the blank line ending the head starts, or -1. */
    private static int endOfHead(ByteBuf bytes) {
        for (int i = bytes.readerIndex(); i + 3 < bytes.writerIndex(); i++) {
            if (bytes.getByte(i) == '\r' && bytes.getByte(i + 1) == '\n' && bytes.getByte(i + 2) == '\r'
                    && bytes.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The Host header's host name, lower case, without the port; null when there is none. */
    private static String host(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "host:", 0, 5)) {
                String h = line.substring(5).trim().toLowerCase(Locale.ROOT);
                if (h.startsWith("[")) {
                    return h;
                }
                int colon = h.indexOf(':');
                return colon < 0 ? h : h.substring(0, colon);
            }
        }
        return null;
    }
}
