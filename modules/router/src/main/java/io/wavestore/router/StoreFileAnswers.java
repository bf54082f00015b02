package io.wavestore.router;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The store's answers the data plane gives itself ({@link StoreFiles}): the first plain GET of a covered path is
 * relayed as any other, and meanwhile the data plane asks the store's routes for that path once and keeps their
 * answer if it is one that can be replayed (200, a length, no cookie, no Vary, no encoding). Failures are not kept,
 * so the next request asks again; answers that cannot be replayed are kept as "relay it" in a bounded cache.
 */
final class StoreFileAnswers {

    /** Larger answers are the store's to stream: the web UI's largest file is a few hundred KiB. */
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final StoreFiles files;
    private final EventLoopGroup loops;
    private final Class<? extends SocketChannel> channelType;
    private final InetSocketAddress store;
    private final AsyncCache<String, Optional<Answer>> answers = Caffeine.newBuilder().maximumSize(512).buildAsync();

    StoreFileAnswers(StoreFiles files, EventLoopGroup loops, Class<? extends SocketChannel> channelType,
            InetSocketAddress store) {
        this.files = files;
        this.loops = loops;
        this.channelType = channelType;
        this.store = store;
    }

    /**
     * The answer to a store request (its head, without the final blank line; {@code host} its Host header) if the
     * data plane may give it itself; null when the request is the store's routes' to answer.
     */
    Answer answerFor(String head, String host) {
        String path = PlainGet.path(head);
        if (path == null || !files.covers().test(path)) {
            return null;
        }
        CompletableFuture<Optional<Answer>> known = answers.get(path, (p, executor) -> fetch(p, host));
        return known.isDone() && !known.isCompletedExceptionally() ? known.join().orElse(null) : null;
    }

    void served(long startNanos) {
        files.served().accept(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private CompletableFuture<Optional<Answer>> fetch(String path, String host) {
        CompletableFuture<Optional<Answer>> result = new CompletableFuture<>();
        ChannelFuture connecting = new Bootstrap().group(loops).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) FETCH_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ReadTimeoutHandler(FETCH_TIMEOUT.toSeconds(),
                                        java.util.concurrent.TimeUnit.SECONDS),
                                new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY), new Fetched(result));
                    }
                })
                .connect(store);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(done.cause());
                return;
            }
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers().set(HttpHeaderNames.HOST, host);
            connecting.channel().writeAndFlush(request);
        });
        return result;
    }

    /** The one answer of a fetch. */
    private static final class Fetched extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Optional<Answer>> result;

        Fetched(CompletableFuture<Optional<Answer>> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            result.complete(Answer.of(response));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause); // a body too large included: not kept, asked again next time
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IOException("the store's routes closed the connection unanswered"));
        }
    }

    /** A replayable answer: its head without the Date, and its body, both shared by every connection that sends it. */
    static final class Answer {
        private final ByteBuf headWithoutDate;
        private final ByteBuf body;

        private Answer(ByteBuf headWithoutDate, ByteBuf body) {
            this.headWithoutDate = headWithoutDate;
            this.body = body;
        }

        static Optional<Answer> of(FullHttpResponse response) {
            HttpHeaders headers = response.headers();
            if (response.status().code() != 200 || !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                    || headers.contains(HttpHeaderNames.SET_COOKIE) || headers.contains(HttpHeaderNames.VARY)
                    || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                    || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                return Optional.empty();
            }
            StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
            for (Map.Entry<String, String> header : headers) {
                String name = header.getKey();
                if (!name.equalsIgnoreCase("date") && !name.equalsIgnoreCase("connection")
                        && !name.equalsIgnoreCase("keep-alive")) {
                    head.append(name).append(": ").append(header.getValue()).append("\r\n");
                }
            }
            head.append("Date: ");
            return Optional.of(new Answer(shared(head.toString().getBytes(StandardCharsets.ISO_8859_1)),
                    shared(io.netty.buffer.ByteBufUtil.getBytes(response.content()))));
        }

        private static ByteBuf shared(byte[] bytes) {
            ByteBuf buffer = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            return Unpooled.unreleasableBuffer(buffer); // never written to again: every connection reads a duplicate
        }

        /** Writes the answer (not flushed). */
        void writeTo(ChannelHandlerContext ctx) {
            ctx.write(headWithoutDate.duplicate(), ctx.voidPromise());
            ctx.write(Unpooled.copiedBuffer(DateFormatter.format(new Date()) + "\r\n\r\n", StandardCharsets.ISO_8859_1),
                    ctx.voidPromise());
            ctx.write(body.duplicate(), ctx.voidPromise());
        }
    }
}
