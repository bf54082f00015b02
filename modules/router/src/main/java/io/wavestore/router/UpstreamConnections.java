package io.wavestore.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Connections from the data plane to upstreams (instances, and the store's loopback port), kept alive between
 * requests. Each event loop has its own pool, and a browser's connection only ever uses connections of its own event
 * loop: no lock, no hand-off between threads. At most {@code maxIdlePerAddress} rest per address and loop.
 */
final class UpstreamConnections {

    private final Class<? extends SocketChannel> channelType;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final int maxIdlePerAddress;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamConnections(Class<? extends SocketChannel> channelType, Duration connectTimeout, Duration idleTimeout,
            int maxIdlePerAddress) {
        this.channelType = channelType;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.maxIdlePerAddress = maxIdlePerAddress;
    }

    /** A connection resting in this loop's pool, or null. Call on {@code loop}. */
    Channel pooled(String address) {
        ArrayDeque<Channel> rest = idle.get().get(address);
        while (rest != null && !rest.isEmpty()) {
            Channel channel = rest.pollFirst();
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Opens a new connection on {@code loop}. */
    ChannelFuture connect(EventLoop loop, String host, int port) {
        return new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast("codec", new HttpClientCodec(4096, 64 * 1024, 64 * 1024))
                                .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("upstream", new UpstreamHandler());
                    }
                })
                .connect(host, port);
    }

    /** Opens a connection on {@code loop} with nothing on it yet: a byte relay's. */
    ChannelFuture connectRaw(EventLoop loop, String host, int port) {
        return new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                .connect(host, port);
    }

    /** Puts a connection that finished an exchange cleanly back in this loop's pool, or closes it. */
    void release(String address, Channel channel) {
        ((UpstreamHandler) channel.pipeline().get("upstream")).release();
        if (!channel.isActive()) {
            return;
        }
        ArrayDeque<Channel> rest = idle.get().computeIfAbsent(address, a -> new ArrayDeque<>());
        if (rest.size() >= maxIdlePerAddress) {
            channel.close();
            return;
        }
        // Newest first: the connections used most stay warm, the others time out.
        // (One that the upstream closes meanwhile stays until it is polled, and is skipped then.)
        rest.addFirst(channel);
    }
}
