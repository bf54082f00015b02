package io.wavestore.router;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A time limit on reading a request's headers (nginx's {@code client_header_timeout}): the clock starts when the
 * connection opens and, for each later request on it, with the request's first byte; it stops when the request's head
 * is decoded ({@link #stop}). A connection whose headers are not complete in time is closed. Zero: no limit.
 */
final class HeaderClock extends ChannelInboundHandlerAdapter {

    private final long limitNanos;
    private ChannelHandlerContext ctx;
    private boolean waitingForHead = true;
    private ScheduledFuture<?> timer;

    HeaderClock(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop(); // the connection is someone else's to time now
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waitingForHead && timer == null) {
            start();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    /** The head arrived: no clock until the next request. */
    void stop() {
        waitingForHead = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The exchange ended: the next request's first byte starts the clock. */
    void awaitNextRequest() {
        waitingForHead = true;
    }

    private void start() {
        if (limitNanos <= 0) {
            return; // no limit configured
        }
        timer = ctx.executor().schedule(() -> {
            if (waitingForHead) {
                ctx.close();
            }
        }, limitNanos, TimeUnit.NANOSECONDS);
    }
}
