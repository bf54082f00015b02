package io.wavestore.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.RequestCredentials;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's public port: a Netty server (native epoll where there is one, NIO elsewhere) that relays instance
 * traffic itself and hands every other request to the store's pekko-http routes on a loopback port
 * ({@link FrontHandler}). The decisions stay the router's ({@link RouteDecisions}, the route cache in front of the
 * instance actors); this is only the transport.
 */
public final class DataPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final RouterSettings settings;
    private final RouteDecisions decisions;
    private final RouteResolver resolver;
    private final ForwardedHeaders forwarded;
    private final Pages pages;
    private final ProxyMetrics metrics;
    private final FrontPeer frontPeer;
    private final String storeAddress;
    private final InetSocketAddress storeSocket;
    private final UpstreamConnections connections;
    private final InstanceUseTable uses;
    private final StoreFileAnswers storeFiles;
    private final StoreRoutes storeRoutes;
    private final EventLoopGroup loops;
    private final Channel server;

    private DataPlane(RouterSettings settings, RouteDecisions decisions, RouteResolver resolver, ProxyMetrics metrics,
            FrontPeer frontPeer, InstanceUseTable uses, InetSocketAddress store, String host, int port,
            Duration headerReadTimeout, StoreFiles files, StoreRoutes storeRoutes, int threads) throws InterruptedException {
        this.settings = settings;
        this.storeRoutes = storeRoutes;
        this.uses = uses;
        this.decisions = decisions;
        this.resolver = resolver;
        this.forwarded = new ForwardedHeaders(settings);
        this.pages = new Pages(settings);
        this.metrics = metrics;
        this.frontPeer = frontPeer;
        this.storeAddress = store.getHostString() + ":" + store.getPort();
        this.storeSocket = store;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("wavestore-data-plane", true), io);
        this.storeFiles = new StoreFileAnswers(files, loops, clientType, store);
        this.connections = new UpstreamConnections(clientType, settings.connectTimeout(), settings.idleTimeout(),
                settings.maxConnectionsPerInstance());
        // The error pages' classes are loaded now: out of file descriptors, the JVM cannot open its own JARs, and a
        // 502 rendered for the first time then would fail (NoClassDefFoundError) and leave the browser unanswered.
        badGateway().release();
        ConnectionLimit limit = new ConnectionLimit(settings.maxOpenConnections());
        this.server = new ServerBootstrap().group(loops).channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        HeaderClock clock = new HeaderClock(headerReadTimeout);
                        channel.pipeline().addLast("limit", limit)
                                .addLast("clock", clock)
                                .addLast("door", new FrontDoor(DataPlane.this, clock));
                    }
                })
                .bind(host, port).sync().channel();
        LOG.info("data plane on {} ({}, {} event loops), the store's routes behind it at {}", server.localAddress(),
                epoll ? "epoll" : "NIO", threads, storeAddress);
    }

    /**
     * Listens on {@code host:port}; requests that are not an instance's go to the store's pekko-http routes at
     * {@code store} (a loopback binding of {@link Router#routes}), or in-process to {@code storeRoutes} (the same
     * routes as a function; null: none) when they were read whole ({@link InProcessRequests}).
     */
    static DataPlane start(RouterSettings settings, RouteDecisions decisions, RouteResolver resolver, ProxyMetrics metrics,
            FrontPeer frontPeer, InstanceUseTable uses, InetSocketAddress store, String host, int port,
            Duration headerReadTimeout, StoreFiles files, StoreRoutes storeRoutes) throws InterruptedException {
        return new DataPlane(settings, decisions, resolver, metrics, frontPeer, uses, store, host, port, headerReadTimeout,
                files, storeRoutes, Runtime.getRuntime().availableProcessors());
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Stops accepting connections; those open are served on until {@link #close}. */
    public void stopAccepting() {
        server.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stopAccepting();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The request as the routing decisions see it, when it is an instance's; null for everything else. */
    AppRequest appRequest(HttpRequest request, InetSocketAddress peer) {
        String hostHeader = request.headers().get(HttpHeaderNames.HOST);
        if (hostHeader == null) {
            return null;
        }
        String host = hostName(hostHeader);
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        Optional<String> query = q < 0 ? Optional.empty() : Optional.of(uri.substring(q + 1));
        String domain = settings.appsDomain();
        RoutingMode mode;
        String name;
        String rest;
        if (host.equals(domain)) {
            if (!path.startsWith("/instance/")) {
                return null;
            }
            int slash = path.indexOf('/', "/instance/".length());
            if (slash < 0) {
                return null; // the trailing slash is added by the store's routes
            }
            mode = RoutingMode.BASE_URL;
            name = path.substring("/instance/".length(), slash);
            rest = path.substring(slash);
        } else if (host.endsWith("." + domain)) {
            name = host.substring(0, host.length() - domain.length() - 1);
            if (name.contains(".") || path.startsWith(AppOriginRoutes.PREFIX) || !path.startsWith("/")) {
                return null;
            }
            mode = RoutingMode.DOMAIN;
            rest = path;
        } else {
            return null;
        }
        return new AppRequest(mode, name, rest, request.method().name(), query,
                "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE)), hostHeader,
                credentials(request), settings.origin(host));
    }

    /** The apps domain or a name under it: a host whose requests are the data plane's to decide. */
    boolean isAppHost(String host) {
        String domain = settings.appsDomain();
        return host.equals(domain) || host.endsWith("." + domain);
    }

    private static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static RequestCredentials credentials(HttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        Map<String, String> cookies = new HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            headers.merge(name, h.getValue(), (a, b) -> a + (name.equals("cookie") ? "; " : ", ") + b);
            if (name.equals("cookie")) {
                StoreCaller.parseCookies(h.getValue(), cookies);
            }
        }
        return new RequestCredentials(headers, cookies);
    }

    FullHttpResponse page(int status, String heading, String text) {
        return NettyPages.of(pages.message(StatusCodes.get(status), heading, text));
    }

    FullHttpResponse tooLarge() {
        return page(413, "Too large", "The request is larger than the limit of " + settings.maxRequestBytes()
                + " bytes (wavestore.router.max-request-bytes).");
    }

    FullHttpResponse badGateway() {
        return page(502, "The app did not answer",
                "The app is running but did not answer this request. Try again in a moment.");
    }

    RouterSettings settings() {
        return settings;
    }

    RouteDecisions decisions() {
        return decisions;
    }

    RouteResolver resolver() {
        return resolver;
    }

    ForwardedHeaders forwarded() {
        return forwarded;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    FrontPeer frontPeer() {
        return frontPeer;
    }

    String storeAddress() {
        return storeAddress;
    }

    InetSocketAddress storeSocket() {
        return storeSocket;
    }

    StoreFileAnswers storeFiles() {
        return storeFiles;
    }

    /** The store's routes in-process; null when every store request is relayed. */
    StoreRoutes storeRoutes() {
        return storeRoutes;
    }

    UpstreamConnections connections() {
        return connections;
    }

    /** What this replica saw of each instance's use (idle suspension). */
    InstanceUseTable uses() {
        return uses;
    }
}
