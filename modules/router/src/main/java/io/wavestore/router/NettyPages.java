package io.wavestore.router;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The router's own pages ({@link Pages}, strict pekko-http responses) as the data plane writes them. */
final class NettyPages {

    private NettyPages() {
    }

    static FullHttpResponse of(HttpResponse page) {
        HttpEntity.Strict entity = (HttpEntity.Strict) page.entity();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(page.status().intValue()), Unpooled.wrappedBuffer(entity.getData().toArray()));
        for (HttpHeader header : page.getHeaders()) {
            response.headers().add(header.name(), header.value());
        }
        response.headers().set("Content-Type", entity.getContentType().toString());
        response.headers().setInt("Content-Length", response.content().readableBytes());
        return response;
    }
}
