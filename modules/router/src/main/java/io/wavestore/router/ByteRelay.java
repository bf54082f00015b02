package io.wavestore.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of an upgraded connection (a WebSocket after the instance's 101): bytes read here are written to the
 * peer as they are, no frame parsed. When the peer cannot take more, this side stops reading until it can again, so a
 * slow reader slows the sender down through TCP. Either side closing closes the other, after what was read is sent.
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ByteRelay.class);

    private final Channel peer;
    /** The instance's use, when this side is a browser's (its reads count as use); null for the instance's side. */
    private final InstanceUse use;

    /** Whether the peer (a browser's connection) is closed the lingering way when this side ends. */
    private final boolean lingerOnClose;

    ByteRelay(Channel peer) {
        this(peer, null, false);
    }

    ByteRelay(Channel peer, InstanceUse use) {
        this(peer, use, false);
    }

    private ByteRelay(Channel peer, InstanceUse use, boolean lingerOnClose) {
        this.peer = peer;
        this.use = use;
        this.lingerOnClose = lingerOnClose;
    }

    /**
     * Relays this side to a browser that may still be sending when this side ends (the store's routes answering a body
     * before reading it): the browser's connection is then closed with {@link LingeringClose}.
     */
    static ByteRelay toBrowserLingering(Channel browser) {
        return new ByteRelay(browser, null, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(peer.isWritable());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            // The end of the 101's HTTP message, decoded before the codec was taken out.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (use != null) {
            use.socketRead();
        }
        peer.write(bytes, peer.voidPromise());
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained: the peer may read again.
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
                    .addListener(lingerOnClose ? written -> LingeringClose.close(peer) : ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof DuplexChannel side && side.isActive() && side.isOutputShutdown()
                && !side.isInputShutdown()) {
            // A write to this side failed and only its output was shut (auto-close off, see FrontDoor): it stopped
            // reading, having answered early; its answer is still to be read, and its end closes the rest.
            LOG.debug("relayed side took no more: {}", cause.toString());
            return;
        }
        // A tab closed or a network dropped: how WebSockets often end. Nothing to report above DEBUG.
        LOG.debug("relayed connection ended: {}", cause.toString());
        ctx.close();
    }
}
