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
 * own problems, and time it out as they always did. Nothing of the store's traffic is parsed twice. Two kinds of
 * request skip the hop, as long as a connection asks for nothing else (its first request of another kind hands it on
 * for good): the store's files that cannot change while it runs (the web UI's, {@link StoreFiles}), answered here,
 * and requests read whole (the API's reads, DELETEs and small bodies, {@link InProcessRequests}), handed to the
 * store's routes in-process.
 */
final class FrontDoor extends ChannelInboundHandlerAdapter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FrontDoor.class);

    /** Larger heads are the store's to refuse (431). */
    private static final int MAX_HEAD = 64 * 1024;
    /**
     * How long a small body may take to follow its head before its request is relayed instead of read whole: clients
     * send the two in one write or back to back, so only a slow sender waits this long (and is then read by pekko's
     * server as before).
     */
    private static final java.time.Duration BODY_WAIT = java.time.Duration.ofSeconds(1);

    private final DataPlane plane;
    private final HeaderClock clock;
    private ByteBuf seen;
    /** No request of this connection was answered yet: its first request's Host decides whether it is an app's. */
    private boolean first = true;
    /** A request of this connection is with the store's routes in-process: the next waits for its answer. */
    private boolean inProcess;
    private java.util.concurrent.ScheduledFuture<?> idleClose;
    /** A small body being read whole (for the routes in-process): when it is late, the request is relayed instead. */
    private java.util.concurrent.ScheduledFuture<?> bodyWait;

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
        cancelIdleClose();
        takeRequests(ctx);
    }

    /**
     * Hands the connection on as soon as a request is not one the data plane answers itself ({@link StoreFileAnswers});
     * answers those that are, in order, as long as the browser reads them.
     */
    private void takeRequests(ChannelHandlerContext ctx) {
        takeRequests(ctx, false);
    }

    private void takeRequests(ChannelHandlerContext ctx, boolean answeredBefore) {
        boolean answered = answeredBefore;
        while (seen != null && !inProcess) {
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false); // read on when the browser took the answers (below)
                break;
            }
            int end = endOfHead(seen);
            if (end < 0) {
                if (seen.readableBytes() > MAX_HEAD) {
                    store(ctx);
                }
                break;
            }
            long start = System.nanoTime();
            String head = seen.toString(seen.readerIndex(), end - seen.readerIndex(), StandardCharsets.ISO_8859_1);
            String host = host(head);
            if (host != null && plane.isAppHost(host)) {
                if (first) {
                    apps(ctx);
                } else {
                    store(ctx); // as before this connection answered files: its later requests are the store's routes'
                }
                break;
            }
            StoreFileAnswers.Answer answer = host == null ? null : plane.storeFiles().answerFor(head, host);
            if (answer == null) {
                if (toRoutesInProcess(ctx, head, end) == Handed.RELAY) {
                    store(ctx);
                }
                break;
            }
            clock.stop();
            answer.writeTo(ctx);
            plane.storeFiles().served(start);
            answered = true;
            first = false;
            seen.readerIndex(end + 4).discardReadBytes();
            clock.awaitNextRequest();
        }
        if (answered && seen != null && !inProcess) {
            ctx.flush();
            closeWhenIdle(ctx); // (also when part of a next head came: the header clock starts only with new bytes)
        }
    }

    /** What became of a request the front door could not answer itself. */
    private enum Handed { IN_PROCESS, AWAITING_BODY, RELAY }

    /**
     * Hands the request whose head ends at {@code end} to the store's routes in-process when it is one they may have
     * so ({@link InProcessRequests}) and its body is here; reads no further request of the connection until its answer
     * was written. A body still on its way is waited for up to {@link #BODY_WAIT}; one slower than that is the relay's
     * (pekko's server then reads it, with its own timeouts, as it always did).
     */
    private Handed toRoutesInProcess(ChannelHandlerContext ctx, String head, int end) {
        StoreRoutes routes = plane.storeRoutes();
        RequestHead parsed = RequestHead.parse(head);
        if (routes == null || !InProcessRequests.takesWhole(parsed, routes.limits())) {
            return Handed.RELAY;
        }
        int bodyStart = end + 4;
        int bodyLength = (int) parsed.contentLength();
        if (seen.writerIndex() - bodyStart < bodyLength) {
            awaitBody(ctx);
            return Handed.AWAITING_BODY;
        }
        cancelBodyWait();
        InProcessExchange exchange = new InProcessExchange(ctx, routes, plane.settings().idleTimeout(), () -> {
            inProcess = false;
            ctx.channel().config().setAutoRead(true);
            first = false;
            clock.awaitNextRequest();
            takeRequests(ctx, true);
        });
        byte[] body = new byte[bodyLength];
        seen.getBytes(bodyStart, body);
        org.apache.pekko.http.javadsl.model.HttpRequest request = InProcessRequests.of(parsed, head,
                org.apache.pekko.util.ByteString.fromArrayUnsafe(body), hostHeader(head),
                (InetSocketAddress) ctx.channel().remoteAddress(), exchange.header(), routes.limits());
        if (request == null) {
            return Handed.RELAY;
        }
        clock.stop();
        ctx.flush(); // the answers given before go first
        seen.readerIndex(bodyStart + bodyLength).discardReadBytes();
        inProcess = true;
        ctx.channel().config().setAutoRead(false); // a pipelining client waits: its requests are answered in order
        exchange.start(request);
        return Handed.IN_PROCESS;
    }

    /** The head came in time (its clock stops); its body has {@link #BODY_WAIT} to follow, or the request is relayed. */
    private void awaitBody(ChannelHandlerContext ctx) {
        if (bodyWait == null) {
            clock.stop();
            bodyWait = ctx.executor().schedule(() -> {
                bodyWait = null;
                if (seen != null && !inProcess) {
                    store(ctx);
                }
            }, BODY_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void cancelBodyWait() {
        if (bodyWait != null) {
            bodyWait.cancel(false);
            bodyWait = null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && seen != null && !inProcess) {
            ctx.channel().config().setAutoRead(true);
            takeRequests(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** A kept-alive connection with no new bytes after answered files closes after the idle timeout, as the store's would. */
    private void closeWhenIdle(ChannelHandlerContext ctx) {
        long idle = plane.settings().idleTimeout().toMillis();
        if (idle > 0) {
            idleClose = ctx.executor().schedule(() -> {
                ctx.close();
            }, idle, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelIdleClose() {
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
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
        ctx.flush(); // the answers given here go first
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
            // The routes may answer a body before reading it and close (pekko does): a write to them that fails then
            // only shuts this side's output, so their answer is still read, and the browser's side lingers on close.
            upstream.config().setAutoClose(false);
            upstream.pipeline().addLast("relay", ByteRelay.toBrowserLingering(client));
            upstream.writeAndFlush(head);
            client.pipeline().addLast("relay", new ByteRelay(upstream));
        }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client gone mid-exchange (a reset when a CLI exits): as on a relayed connection, nothing above DEBUG.
        LOG.debug("store connection ended: {}", cause.toString());
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelIdleClose();
        cancelBodyWait();
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
        String value = hostHeader(head);
        if (value == null) {
            return null;
        }
        String h = value.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h;
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** The Host header's value as sent; null when there is none. */
    private static String hostHeader(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "host:", 0, 5)) {
                return line.substring(5).trim();
            }
        }
        return null;
    }
}
