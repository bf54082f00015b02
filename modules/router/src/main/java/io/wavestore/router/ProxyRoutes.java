package io.wavestore.router;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.AppPasses;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.router.alias.Alias;
import io.wavestore.router.alias.AliasDirectory;
import io.wavestore.identity.DatabaseOutage;
import io.wavestore.scheduler.runtime.InstanceHealth;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every browser request to an instance, on any replica: {@code /instance/<name>/...} (BASE_URL routing) and
 * {@code <name>.<apps-domain>/...} (DOMAIN routing), where the name is an instance id or an alias. Each request and
 * each WebSocket upgrade is authorised with the identity layer's rules ({@link InstanceAccess.Action#OPEN_UI}), then
 * streamed to the instance; a request in the wrong mode is redirected to the right one (307), and browsers that
 * navigate by the id or a secondary alias are sent to the primary alias (302).
 *
 * <p>The request path reaches the instance as the Wave server expects it: under {@code /instance/<id>/} in BASE_URL
 * mode (an alias in the path is replaced by the id), and unchanged in DOMAIN mode, where the app sits at the root.
 * A browser opening an instance's root is sent on to the app's entry route ({@link RouteTarget#landing()}).
 */
public final class ProxyRoutes extends AllDirectives {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRoutes.class);

    /** How often a request held for a waking instance asks whether it serves yet. */
    private static final long WAKE_POLL_MILLIS = 250;

    /** What a request that does not wake a suspended instance is told: Wave's page retries on its own backoff anyway. */
    private static final int NOT_WOKEN_RETRY_AFTER_SECONDS = 5;

    private final RouterSettings settings;
    private final InstanceUseTable uses;
    private final IdleSettings idle;
    private final RouteResolver resolver;
    private final AliasDirectory aliases;
    private final StoreCaller callers;
    private final Upstream upstream;
    private final ForwardedHeaders forwarded;
    private final Pages pages;
    private final AppPasses passes;
    private final AppOriginRoutes appOrigin;
    private final RouteDecisions decisions;

    /** How a request named its instance: the mode it came in by, the name (id or alias), and the path after it. */
    record Entry(RoutingMode mode, String name, String rest) {
    }

    ProxyRoutes(RouterSettings settings, RouteResolver resolver, AliasDirectory aliases, StoreCaller callers,
            Upstream upstream, AppPasses passes, com.fasterxml.jackson.databind.ObjectMapper json, InstanceUseTable uses,
            IdleSettings idle) {
        this.settings = settings;
        this.uses = uses;
        this.idle = idle;
        this.resolver = resolver;
        this.aliases = aliases;
        this.callers = callers;
        this.upstream = upstream;
        this.forwarded = new ForwardedHeaders(settings);
        this.pages = new Pages(settings);
        this.passes = passes;
        this.appOrigin = new AppOriginRoutes(passes, callers, resolver, aliases, pages, json);
        this.decisions = new RouteDecisions(settings, resolver, aliases, callers, passes);
    }

    /**
     * Every request whose host is an app's: the apps domain itself (BASE_URL apps under {@code /instance/<name>/}) or
     * {@code <name>.<apps-domain>} (a DOMAIN app at the root). Nothing of the store's own is ever served here, and
     * the store's session cookie never comes here: the visitor is known by this origin's pass ({@link AppPasses}).
     *
     * @param host the request's host name, lower case, without the port
     */
    public Route appRoutes(String host) {
        String origin = settings.origin(host);
        if (host.equals(settings.appsDomain())) {
            return concat(appOrigin.routes(origin), baseUrlRoutes(origin), extractUri(uri ->
                    // The apps' origin has no page of its own: its root and anything else lead back to the store.
                    uri.path().equals("/") || uri.path().isEmpty()
                            ? redirect(Uri.create(settings.storeOrigin() + "/"), StatusCodes.FOUND)
                            : complete(pages.notFound(uri.path(), ""))));
        }
        String name = host.substring(0, host.length() - settings.appsDomain().length() - 1);
        if (name.contains(".")) {
            return complete(pages.notFound(name, ""));
        }
        return concat(appOrigin.routes(origin), extractUri(uri -> serve(
                new Entry(RoutingMode.DOMAIN, name, uri.path().isEmpty() ? "/" : uri.path()), origin)));
    }

    /**
     * {@code /instance/...} on the store's own host: apps are never served there, so the browser is sent to the same
     * path on the apps' origin (links and bookmarks from before apps moved keep working).
     */
    public Route storeRoutes() {
        return pathPrefix("instance", () -> extractUri(uri -> redirect(Uri.create(settings.appsOrigin() + uri.path()
                + uri.rawQueryString().map(q -> "?" + q).orElse("")), StatusCodes.TEMPORARY_REDIRECT)));
    }

    /** {@code /instance/<name>/...} on the apps' origin. */
    private Route baseUrlRoutes(String origin) {
        return pathPrefix("instance", () -> pathPrefix(PathMatchers.segment(), name -> concat(
                // The Wave page resolves its files against the base URL, which ends with a slash.
                pathEnd(() -> extractUri(uri -> ShardedRouteResolver.plausibleId(name)
                        ? redirect(Uri.create("/instance/" + name + "/" + uri.rawQueryString().map(q -> "?" + q).orElse("")),
                                StatusCodes.PERMANENT_REDIRECT)
                        : complete(pages.notFound(name, "")))),
                extractUnmatchedPath(rest -> serve(new Entry(RoutingMode.BASE_URL, name, rest), origin)))));
    }

    private Route serve(Entry entry, String origin) {
        return withSizeLimit(settings.maxRequestBytes(), () -> extractRequest(request -> {
            // A body that says it is too large is refused before anything else, so a client that waits for
            // "100 Continue" never sends it; one that does not say (chunked) is cut off at the limit on its way.
            java.util.OptionalLong declared = request.entity().getContentLengthOption();
            if (declared.isPresent() && declared.getAsLong() > settings.maxRequestBytes()) {
                return complete(tooLarge());
            }
            return completeWithFuture(handle(entry, request, origin).exceptionally(error -> failed(entry, error)));
        }));
    }

    private HttpResponse tooLarge() {
        return pages.message(StatusCodes.CONTENT_TOO_LARGE, "Too large",
                "The request is larger than the limit of " + settings.maxRequestBytes()
                        + " bytes (wavestore.router.max-request-bytes).");
    }

    private CompletionStage<HttpResponse> handle(Entry entry, HttpRequest request, String origin) {
        AppRequest asked = appRequest(entry, request, origin);
        return decisions.decide(asked).thenCompose(decision -> respond(entry, request, asked, decision));
    }

    private CompletionStage<HttpResponse> respond(Entry entry, HttpRequest request, AppRequest asked, Decision decision) {
        if (decision instanceof Decision.NotFound notFound) {
            return done(pages.notFound(notFound.name(), notFound.detail()));
        }
        if (decision instanceof Decision.Redirect redirect) {
            return done(redirect(StatusCodes.get(redirect.status()), redirect.location()));
        }
        if (decision instanceof Decision.Refused refused) {
            return done(refused(asked, refused.caller(), refused.target()));
        }
        if (decision instanceof Decision.CrossSiteWebSocket) {
            // Another site's page opening a socket with this browser's cookies (cross-site WebSocket hijacking).
            return done(HttpResponse.create().withStatus(StatusCodes.FORBIDDEN)
                    .withEntity(HttpEntities.create("a WebSocket from another site's page is not allowed")));
        }
        if (decision instanceof Decision.NotRunning notRunning) {
            RouteTarget target = notRunning.target();
            if (mayWake(notRunning.caller(), target)) {
                if (target.suspended() && WakeRequests.wakes(asked)) {
                    return wake(entry, request, asked, notRunning.caller(), target);
                }
                if (target.suspended()) {
                    // A page's socket or fetch (a tab left open retrying): it does not wake the instance (WakeRequests),
                    // it is told at once to come back later, and reconnects once a visit has woken it.
                    return notRunning(entry, request, notRunning.caller(), target, asked.webSocket())
                            .thenApply(ProxyRoutes::retryLater);
                }
                if (!asked.navigation() && comingUp(target)) {
                    // Woken a moment ago (maybe by another replica's request): held like the request that woke it.
                    return hold(entry, request, asked, target.instanceId());
                }
            }
            return notRunning(entry, request, notRunning.caller(), notRunning.target(), asked.webSocket());
        }
        Decision.Proxy proxy = (Decision.Proxy) decision;
        return proxy(entry, request, proxy.caller(), proxy.target(), request.getAttribute(AttributeKeys.webSocketUpgrade),
                proxy.aliases(), false);
    }

    /** The request as the routing decisions see it. */
    private AppRequest appRequest(Entry entry, HttpRequest request, String origin) {
        return new AppRequest(entry.mode(), entry.name(), entry.rest(), request.method().value(),
                request.getUri().rawQueryString(), request.getAttribute(AttributeKeys.webSocketUpgrade).isPresent(),
                hostHeader(request), StoreCaller.credentials(request), origin);
    }

    /** The caller may not open it: sign in, not theirs, or (when they may not even see it) not found. */
    private HttpResponse refused(AppRequest request, Caller caller, RouteTarget target) {
        if (!caller.signedIn()) {
            // On an app's own host name the store's session cookie is not sent, so signing in at the store and coming
            // back would go round in circles: there the page offers the store's sign-in instead of sending the browser.
            Optional<String> login = decisions.loginUrl(request);
            if (request.navigation() && login.isPresent()) {
                return redirect(StatusCodes.FOUND, login.get());
            }
            return pages.signIn(request.name(), login);
        }
        if (InstanceAccess.allows(caller, InstanceAccess.Action.VIEW_STATUS, target.facts())) {
            return pages.forbidden(request.name());
        }
        return pages.notFound(request.name(), "");
    }

    /**
     * Its owner (or an admin) wakes a suspended instance by visiting it; for a MANAGED app, anyone who may open it wakes
     * the app's newest instance (its actor checks which that is: {@link #wakesOnlyTheNewest}).
     */
    private static boolean mayWake(Caller caller, RouteTarget target) {
        return target.managed() || InstanceAccess.allows(caller, InstanceAccess.Action.MANAGE, target.facts());
    }

    /** The caller may wake it only as a visitor of a MANAGED app, not as its owner or an admin. */
    private static boolean wakesOnlyTheNewest(Caller caller, RouteTarget target) {
        return !InstanceAccess.allows(caller, InstanceAccess.Action.MANAGE, target.facts());
    }

    /**
     * Resumes the instance (its actor does it once, however many ask) and answers a browser's page with the waiting
     * page, which follows the launcher and then shows the app; a request that asked to wake it ({@link WakeRequests})
     * is held until the instance serves, then sent to it, or answered 503 with Retry-After after wake-hold-timeout.
     */
    private CompletionStage<HttpResponse> wake(Entry entry, HttpRequest request, AppRequest asked, Caller caller,
            RouteTarget target) {
        String visitor = caller.signedIn() ? caller.id() : "anonymous";
        CompletionStage<Boolean> woken = resolver.wake(target.instanceId(), visitor, wakesOnlyTheNewest(caller, target));
        if (asked.navigation()) {
            return woken.thenCompose(ok -> resolver.resolveFresh(target.instanceId()))
                    .thenCompose(fresh -> notRunning(entry, request, caller, fresh.exists() ? fresh : target, false));
        }
        return woken.thenCompose(ok -> hold(entry, request, asked, target.instanceId()));
    }

    private static HttpResponse retryLater(HttpResponse response) {
        return response.getHeader("Retry-After").isPresent() ? response
                : response.addHeader(RawHeader.create("Retry-After", String.valueOf(NOT_WOKEN_RETRY_AFTER_SECONDS)));
    }

    /** Starting, not failed: a request held now is answered by the instance soon. */
    private static boolean comingUp(RouteTarget target) {
        return target.phase() == InstanceHealth.Phase.PENDING || target.phase() == InstanceHealth.Phase.STARTING
                || target.phase() == InstanceHealth.Phase.RUNNING;
    }

    /** Holds the request until the instance serves, then sends it there; 503 with Retry-After after wake-hold-timeout. */
    private CompletionStage<HttpResponse> hold(Entry entry, HttpRequest request, AppRequest asked, String instanceId) {
        long deadline = System.nanoTime() + idle.wakeHoldTimeout().toNanos();
        return awaitRoutable(instanceId, deadline)
                .thenCompose(serves -> serves ? handle(entry, request, asked.origin())
                        : done(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                                .addHeader(RawHeader.create("Retry-After", "5"))
                                .withEntity(HttpEntities.create("the instance is waking up; try again in a moment"))));
    }

    private CompletionStage<Boolean> awaitRoutable(String instanceId, long deadlineNanos) {
        return resolver.resolveFresh(instanceId).thenCompose(fresh -> {
            if (fresh.routable()) {
                return CompletableFuture.completedFuture(true);
            }
            if (!fresh.exists() || fresh.suspended() || System.nanoTime() > deadlineNanos) {
                return CompletableFuture.completedFuture(false);
            }
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(WAKE_POLL_MILLIS,
                    java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(later -> awaitRoutable(instanceId, deadlineNanos));
        });
    }

    private CompletionStage<HttpResponse> notRunning(Entry entry, HttpRequest request, Caller caller, RouteTarget target,
            boolean webSocket) {
        if (webSocket) {
            return done(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                    .addHeader(RawHeader.create("Retry-After", "2"))
                    .withEntity(HttpEntities.create(target.suspended() ? "the instance is suspended" : "the instance is not ready")));
        }
        if (target.suspended()) {
            return done(pages.suspended(target, InstanceAccess.allows(caller, InstanceAccess.Action.MANAGE, target.facts())));
        }
        boolean maySeeStatus = InstanceAccess.allows(caller, InstanceAccess.Action.VIEW_STATUS, target.facts());
        Optional<String> api = maySeeStatus
                ? Optional.of(AppOriginRoutes.PREFIX + "status/" + target.instanceId()) : Optional.empty();
        // The cache may hold an older step: the page shows the launcher's newest one. Ready meanwhile: ask again.
        String again = (entry.mode() == RoutingMode.BASE_URL ? "/instance/" + entry.name() + entry.rest() : entry.rest())
                + request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
        return resolver.resolveFresh(target.instanceId()).thenApply(fresh -> fresh.routable()
                ? redirect(StatusCodes.TEMPORARY_REDIRECT, again)
                : fresh.suspended() ? pages.suspended(fresh,
                        InstanceAccess.allows(caller, InstanceAccess.Action.MANAGE, fresh.facts()))
                : pages.starting(fresh.exists() ? fresh : target, api, maySeeStatus));
    }

    /**
     * Streams the request to the instance. If the instance cannot be reached at all, the router asks once more where
     * it is (it may have moved or restarted) and tries there, before answering 502.
     */
    private CompletionStage<HttpResponse> proxy(Entry entry, HttpRequest request, Caller caller, RouteTarget target,
            Optional<WebSocketUpgrade> webSocket, AliasDirectory.Snapshot snapshot, boolean retried) {
        uses.requested(target.instanceId());
        String address = target.address().orElseThrow();
        String path = entry.mode() == RoutingMode.BASE_URL ? "/instance/" + target.instanceId() + entry.rest() : entry.rest();
        Uri uri = request.getUri().scheme(webSocket.isPresent() ? "ws" : "http")
                .host(host(address)).port(port(address)).userInfo("")
                .path(path);
        List<HttpHeader> headers = forwarded.request(request.getHeaders(), origin(entry, request), webSocket.isPresent());
        // A Wave page opened by an alias names the alias as its base URL (WaveBasePage); waved then sends it plain.
        boolean aliasPage = entry.mode() == RoutingMode.BASE_URL && target.appMode() == AppMode.WAVE
                && !entry.name().equals(target.instanceId()) && isNavigation(request);
        if (aliasPage) {
            headers = headers.stream().filter(h -> !h.lowercaseName().equals("accept-encoding")).toList();
        }
        CompletionStage<HttpResponse> sent;
        try {
            if (webSocket.isPresent()) {
                Flow<Message, Message, NotUsed> fromBrowser = entry.mode() == RoutingMode.BASE_URL
                        && target.appMode() == AppMode.WAVE
                        ? WaveRouteRewrite.flow(target.instanceId(), snapshot.namesOf(target.instanceId()))
                        : Flow.create();
                sent = upstream.webSocket(webSocket.get(), uri, headers, fromBrowser);
            } else {
                sent = upstream.http(request.withUri(uri).withProtocol(HttpProtocols.HTTP_1_1).withHeaders(headers))
                        .thenApply(response -> response.withHeaders(forwarded.response(response.getHeaders())))
                        .thenApply(response -> aliasPage
                                ? WaveBasePage.retarget(response, target.instanceId(), entry.name()) : response);
            }
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((response, error) -> {
            if (error == null) {
                return done(response);
            }
            if (!retried && Upstream.isConnectFailure(error)) {
                LOG.debug("instance {} at {} cannot be reached ({}); asking where it is", target.instanceId(), address,
                        error.toString());
                return resolver.resolveFresh(target.instanceId()).thenCompose(fresh -> fresh.routable()
                        ? proxy(entry, request, caller, fresh, webSocket, snapshot, true)
                        : notRunning(entry, request, caller, fresh, webSocket.isPresent()));
            }
            return done(upstreamFailed(target, error));
        }).thenCompose(next -> next);
    }

    private HttpResponse upstreamFailed(RouteTarget target, Throwable error) {
        if (Upstream.isTooLarge(error)) {
            return tooLarge();
        }
        LOG.info("instance {} did not answer: {}", target.instanceId(), rootMessage(error));
        return pages.message(StatusCodes.BAD_GATEWAY, "The app did not answer",
                "The app is running but did not answer this request. Try again in a moment.");
    }

    /** Anything that went wrong before the instance was asked: identity, the instance's actor, aliases. */
    private HttpResponse failed(Entry entry, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof AuthenticationException) {
            return pages.message(StatusCodes.UNAUTHORIZED, "Sign-in required",
                    "Your credentials are not valid any more (" + e.getMessage() + "). Sign in again.");
        }
        if (e instanceof TimeoutException || e instanceof org.apache.pekko.pattern.AskTimeoutException) {
            return pages.message(StatusCodes.SERVICE_UNAVAILABLE, "Try again",
                    "The store did not find " + entry.name() + " in time. Try again in a moment.");
        }
        if (DatabaseOutage.causedBy(e)) {
            return pages.message(StatusCodes.SERVICE_UNAVAILABLE, "Try again",
                    "The store cannot reach its database right now. Try again in a moment.")
                    .addHeader(RetryAfter.create(DatabaseOutage.RETRY_AFTER_SECONDS));
        }
        LOG.error("routing a request for {} failed", entry.name(), e);
        return pages.message(StatusCodes.INTERNAL_SERVER_ERROR, "Something went wrong",
                "Something went wrong in the store; its log has the details.");
    }

    private ForwardedHeaders.Origin origin(Entry entry, HttpRequest request) {
        Optional<String> peer = request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(RemoteAddress::getAddress)
                .map(InetAddress::getHostAddress);
        Optional<String> prefix = entry.mode() == RoutingMode.BASE_URL
                ? Optional.of("/instance/" + entry.name()) : Optional.empty();
        return new ForwardedHeaders.Origin(peer, request.getUri().scheme(), hostHeader(request), prefix);
    }

    private static String hostHeader(HttpRequest request) {
        for (HttpHeader header : request.getHeaders()) {
            if (header.lowercaseName().equals("host")) {
                return header.value();
            }
        }
        Uri uri = request.getUri();
        return uri.host().address() + (uri.port() > 0 ? ":" + uri.port() : "");
    }

    /** {@link RouteDecisions#sameOrigin} of a pekko-http request. */
    public static boolean sameOrigin(HttpRequest request, boolean trustForwarded) {
        return RouteDecisions.sameOrigin(StoreCaller.credentials(request), hostHeader(request), trustForwarded);
    }

    /**
     * A browser opening a page, as opposed to a page fetching its parts: only those are redirected (to the primary
     * alias, to the app's entry route), and only a page's HTML names an alias as its base URL ({@link WaveBasePage});
     * the page's own requests and its WebSocket stay where they are.
     */
    static boolean isNavigation(HttpRequest request) {
        if (!(request.method().equals(HttpMethods.GET) || request.method().equals(HttpMethods.HEAD))
                || request.getAttribute(AttributeKeys.webSocketUpgrade).isPresent()) {
            return false;
        }
        Optional<String> mode = header(request, "sec-fetch-mode");
        if (mode.isPresent()) {
            return mode.get().equalsIgnoreCase("navigate");
        }
        return header(request, "accept").map(a -> a.contains("text/html")).orElse(false);
    }

    private static Optional<String> header(HttpRequest request, String lowercaseName) {
        for (HttpHeader header : request.getHeaders()) {
            if (header.lowercaseName().equals(lowercaseName)) {
                return Optional.of(header.value());
            }
        }
        return Optional.empty();
    }

    private static HttpResponse redirect(StatusCode status, String location) {
        return HttpResponse.create().withStatus(status).addHeader(Location.create(location))
                .addHeader(RawHeader.create("Cache-Control", "no-store"));
    }

    private static String host(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? 80 : Integer.parseInt(address.substring(colon + 1));
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
