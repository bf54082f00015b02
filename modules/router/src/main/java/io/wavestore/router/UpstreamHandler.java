package io.wavestore.router;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The data plane's end of one connection to an instance (or to the store's loopback port): hands what the upstream
 * answers to the browser's connection that is using it, and tells it when the connection fails or goes quiet. A
 * connection resting in the pool has no user: anything it receives or any failure just closes it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private FrontHandler user;

    void use(FrontHandler front) {
        this.user = front;
    }

    void release() {
        this.user = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (user == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        user.fromUpstream(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (user != null) {
            user.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (user != null) {
            user.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (user != null) {
                user.upstreamFailed(new java.util.concurrent.TimeoutException("no answer within the idle timeout"), true);
            }
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (user != null) {
            FrontHandler was = user;
            user = null;
            was.upstreamFailed(new java.io.IOException("the connection closed"), false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (user != null) {
            FrontHandler was = user;
            user = null;
            was.upstreamFailed(cause, false);
        }
        ctx.close();
    }
}
