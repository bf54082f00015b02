package io.wavestore.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Writes the store's routes' answer to a request handed to them in-process as pekko-http's server renders it on
 * HTTP/1.1: the status line, the answer's headers, {@code Server} and {@code Date} when it has none, then the
 * entity's {@code Content-Type} and its length (or chunked when it has none). A strict body is written at once; a
 * streamed one (CSV exports, downloads) chunk by chunk, the next asked for only when the last was written to the
 * socket, so a slow reader slows the routes down as it would through pekko's server; a reader that takes nothing for
 * the idle timeout has its connection closed, as pekko's idle-timeout would (the routes' stream is then cancelled).
 * To a HEAD only the head is written, with the length (or chunked) the body would have had, and the body is not read.
 */
final class InProcessAnswers {

    private InProcessAnswers() {
    }

    /**
     * Writes {@code response} (flushed) and completes with whether the connection stays open, once the body was
     * written whole; fails when its body did (the connection is then closed: its answer cannot be finished).
     */
    static CompletionStage<Boolean> write(ChannelHandlerContext ctx, HttpResponse response, boolean toHead,
            Optional<String> serverHeader, Materializer materializer, java.time.Duration idleTimeout) {
        HttpEntity entity = response.entity();
        boolean body = response.status().allowsEntity();
        OptionalLong length = body ? length(entity) : OptionalLong.empty();
        // To a HEAD, pekko says what the body would be (its length, or chunked) but not a close-delimited one's end
        boolean chunked = body && length.isEmpty() && !(toHead && closeDelimited(entity));
        StringBuilder head = head(response, serverHeader, new Date());
        if (length.isPresent()) {
            head.append("Content-Length: ").append(length.getAsLong()).append("\r\n");
        } else if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        head.append("\r\n");
        boolean keepOpen = !closes(response, toHead);
        ctx.write(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1), ctx.voidPromise());
        if (toHead) {
            entity.getDataBytes().runWith(Sink.cancelled(), materializer); // as pekko's server: no body, nothing read
            body = false;
        } else if (!body) {
            response.discardEntityBytes(materializer);
        }
        if (!body || entity.isStrict()) {
            if (body) {
                ctx.write(buffer(((HttpEntity.Strict) entity).getData()), ctx.voidPromise());
            }
            ctx.flush();
            return CompletableFuture.completedFuture(keepOpen);
        }
        ctx.flush();
        return entity.getDataBytes()
                .runWith(Sink.foreachAsync(1, chunk -> writeChunk(ctx, chunk, chunked, idleTimeout)), materializer)
                .thenComposeAsync(done -> { // (not on the common pool: see InProcessExchange)
                    CompletableFuture<Boolean> ended = new CompletableFuture<>();
                    ByteBuf end = chunked ? Unpooled.copiedBuffer("0\r\n\r\n", StandardCharsets.ISO_8859_1)
                            : Unpooled.EMPTY_BUFFER;
                    ctx.writeAndFlush(end).addListener(written -> {
                        if (written.isSuccess()) {
                            ended.complete(keepOpen);
                        } else {
                            ended.completeExceptionally(written.cause());
                        }
                    });
                    return ended;
                }, ctx.executor());
    }

    /** The status line and the headers before the entity's. */
    static StringBuilder head(HttpResponse response, Optional<String> serverHeader, Date now) {
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(response.status().intValue()).append(' ')
                .append(response.status().reason()).append("\r\n");
        boolean server = false;
        boolean date = false;
        for (HttpHeader header : response.getHeaders()) {
            switch (header.lowercaseName()) {
                case "content-type", "content-length", "transfer-encoding" -> {
                    continue; // pekko renders these from the entity, never from the headers
                }
                case "server" -> server = true;
                case "date" -> date = true;
                default -> {
                }
            }
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        if (!server && serverHeader.isPresent()) {
            head.append("Server: ").append(serverHeader.get()).append("\r\n");
        }
        if (!date) {
            head.append("Date: ").append(DateFormatter.format(now)).append("\r\n");
        }
        if (!response.entity().getContentType().equals(ContentTypes.NO_CONTENT_TYPE)) {
            head.append("Content-Type: ").append(response.entity().getContentType()).append("\r\n");
        }
        return head;
    }

    /** The body's length when it is known before it is written. */
    private static OptionalLong length(HttpEntity entity) {
        if (entity.isStrict()) {
            return OptionalLong.of(((HttpEntity.Strict) entity).getData().size());
        }
        return entity.isIndefiniteLength() || entity.isChunked() ? OptionalLong.empty() : entity.getContentLengthOption();
    }

    /** The answer says the connection ends with it (a close-delimited body does, except to a HEAD: it has none). */
    private static boolean closes(HttpResponse response, boolean toHead) {
        return response.getHeader("connection").map(h -> h.value().toLowerCase(Locale.ROOT).contains("close"))
                .orElse(false) || !toHead && closeDelimited(response.entity());
    }

    private static boolean closeDelimited(HttpEntity entity) {
        return entity.isIndefiniteLength() && !entity.isChunked();
    }

    private static CompletionStage<Void> writeChunk(ChannelHandlerContext ctx, ByteString chunk, boolean chunked,
            java.time.Duration idleTimeout) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (chunk.isEmpty()) {
            written.complete(null); // an empty chunk would end a chunked body
            return written;
        }
        if (chunked) {
            ctx.write(Unpooled.copiedBuffer(Integer.toHexString(chunk.size()) + "\r\n", StandardCharsets.ISO_8859_1),
                    ctx.voidPromise());
        }
        ByteBuf data = buffer(chunk);
        java.util.concurrent.ScheduledFuture<?> stalled = idleTimeout.isZero() ? null
                : ctx.executor().schedule(() -> {
                    ctx.close(); // the reader took nothing for the idle timeout: the write fails, the stream ends
                }, idleTimeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        ctx.writeAndFlush(chunked ? Unpooled.wrappedBuffer(data, Unpooled.wrappedBuffer(CRLF)) : data)
                .addListener(done -> {
                    if (stalled != null) {
                        stalled.cancel(false);
                    }
                    if (done.isSuccess()) {
                        written.complete(null);
                    } else {
                        written.completeExceptionally(done.cause());
                    }
                });
        return written;
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static ByteBuf buffer(ByteString bytes) {
        return bytes.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes.asByteBuffer());
    }
}
