package io.wavestore.router;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.RoutingMode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser connection to the data plane, one exchange at a time. A request to an instance is decided by
 * {@link RouteDecisions} (in place when the route and the caller are cached) and, when the decision is to proxy it,
 * relayed to the instance: head with its headers rewritten ({@link ForwardedHeaders}), body and answer streamed as
 * they come, each side reading only as fast as the other writes. Every other request (the store's API and pages, and
 * every decision that is not "proxy": redirects, refusals, the router's pages) is relayed the same way to the store's
 * pekko-http routes on their loopback port, which answer it as they always did.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {

    /** How long the rest of an early-answered body is read and dropped before the connection closes. */
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(FrontHandler.class);
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final DataPlane plane;
    private final HeaderClock clock;
    private ChannelHandlerContext ctx;

    // The exchange in progress; generation tells late callbacks from an earlier exchange apart.
    private int generation;
    private boolean active;
    private HttpRequest request;
    private HttpRequest upstreamRequest;
    private boolean clientKeepAlive;
    private boolean webSocket;
    private boolean expectsContinue;
    private boolean requestDone;
    /** The answer went out early and the connection closes soon: what the browser still sends is dropped. */
    private boolean draining;
    private long bodyBytes;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private Channel upstream;
    private String upstreamAddress;
    private boolean reusedUpstream;
    private boolean toInstance;
    private RouteTarget target;
    private AppRequest app;
    private boolean askedAgain;
    private boolean retriedStale;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean skipNextLast;
    private long startNanos;

    FrontHandler(DataPlane plane, HeaderClock clock) {
        this.plane = plane;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining) {
            ReferenceCountUtil.release(msg); // the rest of a body that was answered early (see lingerThenClose)
            return;
        }
        if (active && requestDone) {
            // The next request, sent before this one was answered: taken when it is, and nothing more read till then.
            pipelined.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        if (msg instanceof HttpRequest head) {
            clock.stop();
            if (head.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                begin(head);
                respond(plane.page(400, "Bad request", "The request could not be read."), true);
                return;
            }
            begin(head);
            route();
        } else if (msg instanceof HttpContent content) {
            body(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(HttpRequest head) {
        generation++;
        active = true;
        request = head;
        upstreamRequest = head;
        clientKeepAlive = HttpUtil.isKeepAlive(head) && head.protocolVersion().equals(HttpVersion.HTTP_1_1);
        webSocket = "websocket".equalsIgnoreCase(head.headers().get(HttpHeaderNames.UPGRADE));
        expectsContinue = HttpUtil.is100ContinueExpected(head);
        requestDone = head instanceof LastHttpContent;
        bodyBytes = 0;
        upstream = null;
        toInstance = false;
        target = null;
        app = null;
        askedAgain = false;
        retriedStale = false;
        responseStarted = false;
        skipNextLast = false;
        startNanos = System.nanoTime();
        if (webSocket || mayHaveBody(head)) {
            // Nothing more is read until the upstream can take it (a body) or the 101 hands the bytes on (a
            // WebSocket's first frames are no HTTP). A request without a body keeps reading on: turning reading off
            // and on costs two epoll_ctl calls per request, and a pipelined request stops it anyway (channelRead).
            ctx.channel().config().setAutoRead(false);
        }
    }

    private static boolean mayHaveBody(HttpRequest head) {
        if (head instanceof LastHttpContent) {
            return false;
        }
        String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.trim().equals("0") || HttpUtil.isTransferEncodingChunked(head);
    }

    private void route() {
        app = plane.appRequest(request, peer());
        if (app == null) {
            toStore();
            return;
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > plane.settings().maxRequestBytes()) {
            // Refused before the body is read, so a client that waits for "100 Continue" never sends it.
            respond(plane.tooLarge(), true);
            return;
        }
        CompletionStage<Decision> decided;
        try {
            decided = plane.decisions().decide(app);
        } catch (RuntimeException e) {
            toStore();
            return;
        }
        int exchange = generation;
        decided.whenComplete((decision, error) -> onLoop(() -> {
            if (exchange != generation || !active) {
                return;
            }
            if (error == null && decision instanceof Decision.Proxy proxy && !needsMessageRewrite(proxy)) {
                toInstance(proxy.target());
            } else {
                // Pages, redirects, refusals and failures are the store's pekko-http routes' to answer; they decide
                // again (from the same cache) and render what they decided.
                toStore();
            }
        }));
    }

    /**
     * pekko's path: a Wave app's WebSocket under an alias needs its messages rewritten ({@link WaveRouteRewrite}), and
     * its page opened by an alias names the alias as its base URL ({@link WaveBasePage}).
     */
    private boolean needsMessageRewrite(Decision.Proxy proxy) {
        boolean waveByBaseUrl = app.mode() == RoutingMode.BASE_URL && proxy.target().appMode() == AppMode.WAVE;
        return waveByBaseUrl && (webSocket && !proxy.aliases().namesOf(proxy.target().instanceId()).isEmpty()
                || app.navigation() && !app.name().equals(proxy.target().instanceId()));
    }

    private void toInstance(RouteTarget where) {
        toInstance = true;
        target = where;
        plane.uses().requested(where.instanceId());
        Optional<String> prefix = app.mode() == RoutingMode.BASE_URL ? Optional.of("/instance/" + app.name())
                : Optional.empty();
        upstreamRequest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(),
                RouteDecisions.upstreamPath(app, where) + app.query(), plane.forwarded().forwardRequest(request.headers(),
                        new ForwardedHeaders.Origin(Optional.of(peer().getAddress().getHostAddress()), "http", app.host(),
                                prefix), webSocket));
        if (expectsContinue && !requestDone) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        open(where.address().orElseThrow(), true);
    }

    private void toStore() {
        toInstance = false;
        upstreamRequest = request;
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        request.headers().set(FrontPeer.HEADER, plane.frontPeer().value(peer()));
        if (!webSocket) {
            // This hop's connection is the data plane's to keep or close, whatever the browser asked of its own.
            request.headers().remove(HttpHeaderNames.CONNECTION);
            request.headers().remove("keep-alive");
        }
        open(plane.storeAddress(), true);
    }

    private void open(String address, boolean mayReuse) {
        upstreamAddress = address;
        if (mayReuse && !webSocket) {
            Channel pooled = plane.connections().pooled(address);
            if (pooled != null) {
                attach(pooled, true);
                return;
            }
        }
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int exchange = generation;
        ChannelFuture connecting = plane.connections().connect(ctx.channel().eventLoop(), host,
                Integer.parseInt(address.substring(colon + 1)));
        // A channel that could not even be created (no file descriptors left) tells its listeners on another thread.
        connecting.addListener(done -> onLoop(() -> {
            if (exchange != generation || !active) {
                if (done.isSuccess()) {
                    connecting.channel().close(); // (one never created has no event loop to close it on)
                }
            } else if (done.isSuccess()) {
                attach(connecting.channel(), false);
            } else {
                connectFailed(done.cause());
            }
        }));
    }

    private void attach(Channel channel, boolean reused) {
        upstream = channel;
        reusedUpstream = reused;
        ((UpstreamHandler) channel.pipeline().get("upstream")).use(this);
        channel.write(upstreamRequest);
        while (!pending.isEmpty()) {
            channel.write(pending.poll());
        }
        channel.flush();
        if (!requestDone) {
            ctx.channel().config().setAutoRead(channel.isWritable());
        }
    }

    private void body(HttpContent content) {
        if (!active) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            // A body that cannot be read (a broken chunk): the exchange cannot go on, nor the connection.
            content.release();
            if (upstream != null) {
                upstream.close();
            }
            end();
            ctx.close();
            return;
        }
        bodyBytes += content.content().readableBytes();
        if (toInstanceTraffic() && bodyBytes > plane.settings().maxRequestBytes()) {
            content.release();
            if (responseStarted) {
                ctx.close();
            } else {
                respond(plane.tooLarge(), true);
            }
            return;
        }
        if (content instanceof LastHttpContent) {
            requestDone = true;
        }
        if (upstream != null) {
            upstream.write(content);
            if (requestDone) {
                upstream.flush();
            } else if (!upstream.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            pending.add(content);
        }
    }

    private boolean toInstanceTraffic() {
        return app != null;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null && ctx.channel().isWritable()) {
            upstream.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (active && !requestDone && writable) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    void upstreamReadComplete() {
        ctx.flush();
    }

    /** What the upstream answered: a response head, or a part of its body. */
    void fromUpstream(Object msg) {
        if (msg instanceof HttpResponse response) {
            int status = response.status().code();
            if (status == 101 && webSocket) {
                relayBytes(response);
                return;
            }
            if (status >= 100 && status < 200) {
                // Interim (100 Continue from the store's routes): passed on; its empty end is not the answer's.
                skipNextLast = true;
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status()));
                ReferenceCountUtil.release(msg);
                return;
            }
            answered(response);
            if (msg instanceof LastHttpContent) {
                finish();
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (skipNextLast && content instanceof LastHttpContent) {
                skipNextLast = false;
                content.release();
                return;
            }
            if (!responseStarted) {
                content.release();
                return;
            }
            ctx.write(content);
            if (content instanceof LastHttpContent) {
                finish();
            } else if (!ctx.channel().isWritable() && upstream != null) {
                upstream.config().setAutoRead(false);
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void answered(HttpResponse response) {
        responseStarted = true;
        if (toInstance) {
            plane.metrics().upstreamAnswered(kind(), response.status().code(), since(startNanos));
        }
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        if (toInstance) {
            plane.forwarded().rewriteResponse(response.headers(), false);
        } else {
            response.headers().remove(HttpHeaderNames.CONNECTION);
            response.headers().remove("keep-alive");
        }
        int status = response.status().code();
        boolean bodyless = request.method().equals(HttpMethod.HEAD) || status == 204 || status == 304;
        if (!bodyless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            HttpUtil.setTransferEncodingChunked(response, true); // an answer that ends when its connection does
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpUtil.setKeepAlive(response, clientKeepAlive);
        ctx.write(response);
    }

    /** The instance said yes to the WebSocket: from now on both connections relay bytes, no HTTP, no frames. */
    private void relayBytes(HttpResponse switching) {
        plane.metrics().upstreamAnswered(ProxyMetrics.Kind.WEBSOCKET, 101, since(startNanos));
        // Counted before the browser can see the 101: it is open from then on.
        plane.metrics().webSocketOpened();
        if (toInstance) {
            plane.forwarded().rewriteResponse(switching.headers(), true);
        }
        Channel client = ctx.channel();
        Channel instance = upstream;
        ctx.write(switching);
        ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
        active = false;
        upstream = null;
        generation++;
        ChannelPipeline front = client.pipeline();
        // What the browser sends counts as the instance's use; what the instance sends does not (a background tab).
        InstanceUse use = toInstance ? plane.uses().of(target.instanceId()) : null;
        if (use != null) {
            use.socketOpened();
            client.closeFuture().addListener(closed -> use.socketClosed());
        }
        front.addLast("relay", new ByteRelay(instance, use));
        front.remove(this);
        front.remove("idle");
        front.remove("clock");
        front.remove("codec");
        client.flush();
        ChannelPipeline back = instance.pipeline();
        back.addLast("relay", new ByteRelay(client));
        back.remove("upstream");
        back.remove("idle");
        back.remove("codec");
        client.closeFuture().addListener(closed -> plane.metrics().webSocketClosed());
    }

    private void finish() {
        Channel used = upstream;
        boolean reusable = upstreamKeepAlive && requestDone && !webSocket;
        boolean keepClient = clientKeepAlive && requestDone;
        String address = upstreamAddress;
        end();
        if (used != null) {
            used.config().setAutoRead(true);
            if (reusable) {
                plane.connections().release(address, used);
            } else {
                ((UpstreamHandler) used.pipeline().get("upstream")).release();
                used.close();
            }
        }
        if (keepClient) {
            ctx.flush();
            next();
        } else if (!requestDone) {
            lingerThenClose();
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answered before the browser finished sending its body (an early 413, a refusal): closing at once would leave
     * its unread bytes in our receive buffer, and the kernel would answer them with a reset that can destroy the
     * answer before the browser reads it. So the answer is sent, our side half-closed, and what still comes is read
     * and dropped for a moment before the connection closes (nginx's lingering close).
     */
    private void lingerThenClose() {
        draining = true;
        Channel channel = ctx.channel();
        channel.config().setAutoRead(true);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (channel instanceof io.netty.channel.socket.DuplexChannel duplex && written.isSuccess()) {
                duplex.shutdownOutput();
            }
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        });
    }

    /** Ready for the next request on this connection. */
    private void next() {
        clock.awaitNextRequest();
        // What came early is handed on as if read now: the next request's head and its body, until it is whole.
        while (!pipelined.isEmpty() && !(active && requestDone)) {
            channelRead(ctx, pipelined.poll());
        }
        if (!active) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void end() {
        active = false;
        generation++;
        upstream = null;
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
    }

    /** The upstream connection failed or went quiet before the exchange ended. */
    void upstreamFailed(Throwable cause, boolean timedOut) {
        LOG.debug("exchange {}: upstream {} failed ({}), active {}, started {}, reused {}, request done {}", generation,
                upstream, cause.toString(), active, responseStarted, reusedUpstream, requestDone);
        if (!active) {
            return;
        }
        Channel failed = upstream;
        upstream = null;
        if (failed != null) {
            failed.close();
        }
        if (responseStarted) {
            LOG.debug("an answer from {} broke off: {}", upstreamAddress, cause.toString());
            end();
            ctx.close();
            return;
        }
        if (!timedOut && reusedUpstream && !retriedStale && requestDone && bodyBytes == 0
                && IDEMPOTENT.contains(request.method())) {
            // A kept-alive connection the upstream had just closed: once more, on a new one.
            retriedStale = true;
            pending.add(LastHttpContent.EMPTY_LAST_CONTENT); // the (empty) end of the request, sent again with its head
            open(upstreamAddress, false);
            return;
        }
        if (toInstance) {
            plane.metrics().upstreamFailed(kind(), since(startNanos));
            LOG.info("instance {} did not answer: {}", target.instanceId(), cause.toString());
        }
        respond(timedOut ? plane.page(504, "The app did not answer in time",
                        "The app is running but did not answer this request in time. Try again in a moment.")
                : plane.badGateway(), false);
    }

    private void connectFailed(Throwable cause) {
        if (toInstance && !askedAgain) {
            // It may have moved or restarted: ask once more where it is, before answering 502.
            askedAgain = true;
            LOG.debug("instance {} at {} cannot be reached ({}); asking where it is", target.instanceId(), upstreamAddress,
                    cause.toString());
            int exchange = generation;
            plane.resolver().resolveFresh(target.instanceId()).whenComplete((fresh, error) -> onLoop(() -> {
                if (exchange != generation || !active) {
                    return;
                }
                if (error == null && fresh.routable()) {
                    toInstance(fresh);
                } else {
                    toStore(); // not running now: the store's routes render the instance's page
                }
            }));
            return;
        }
        if (toInstance) {
            plane.metrics().upstreamFailed(kind(), since(startNanos));
        }
        LOG.info("{} cannot be reached: {}", toInstance ? "instance " + target.instanceId() : "the store's routes",
                cause.toString());
        respond(plane.badGateway(), false);
    }

    /** Answers the exchange with the router's own page. */
    private void respond(FullHttpResponse page, boolean close) {
        // A body still on its way is not read past: then the connection closes after the answer.
        boolean keep = clientKeepAlive && requestDone && !close;
        HttpUtil.setKeepAlive(page, keep);
        end();
        ChannelFuture written = ctx.writeAndFlush(page);
        if (keep) {
            next();
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel was = upstream;
        end();
        if (was != null) {
            was.close();
        }
        while (!pipelined.isEmpty()) {
            ReferenceCountUtil.release(pipelined.poll());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !active) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Browsers reset connections all the time: no stack trace, and nothing above DEBUG for those.
        if (cause instanceof java.io.IOException) {
            LOG.debug("browser connection ended: {}", cause.toString());
        } else {
            LOG.warn("browser connection failed: {}", cause.toString());
        }
        ctx.close();
    }

    private InetSocketAddress peer() {
        return (InetSocketAddress) ctx.channel().remoteAddress();
    }

    private void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    private ProxyMetrics.Kind kind() {
        return webSocket ? ProxyMetrics.Kind.WEBSOCKET : ProxyMetrics.Kind.HTTP;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
