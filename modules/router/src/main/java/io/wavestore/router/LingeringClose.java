package io.wavestore.router;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends a browser's connection as a server must when the browser may still be sending (a body the store answered
 * before reading it: a 401, a 403, an early 413): the answer, then a FIN, then whatever still comes is read and
 * dropped until the browser closes or {@link #LINGER} has passed. Closing at once with unread bytes makes the kernel
 * send a reset, which drops what it had not sent yet and can make the browser discard the answer it had (RFC 9112,
 * 9.6: "tear-down").
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {

    /** Long enough for a browser on a slow link to read an answer, short enough not to hold a socket for nothing. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private LingeringClose() {
    }

    /** Flushes what was written to {@code channel}, then closes it the lingering way (on its event loop). */
    static void close(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        if (channel.pipeline().get("relay") != null) {
            channel.pipeline().replace("relay", "linger", new LingeringClose());
        } else {
            channel.pipeline().addLast("linger", new LingeringClose());
        }
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                channel.close();
            }
        });
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the browser is done too
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset from the browser: nothing more to wait for
    }
}
