package io.wavestore.router;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.AppPasses;
import io.wavestore.identity.Caller;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.identity.RequestCredentials;
import io.wavestore.router.alias.Alias;
import io.wavestore.router.alias.AliasDirectory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The routing decisions for a request to an instance, apart from any HTTP server: which instance it names (an id or
 * an alias), whether this caller may open it ({@link InstanceAccess.Action#OPEN_UI}), whether it belongs elsewhere
 * (the other routing mode, the primary alias, the store for this origin's pass), and whether the instance can take
 * it now. Both the pekko-http routes and the Netty data plane ask here, so that a rule lives in one place.
 */
record RouteDecisions(RouterSettings settings, RouteResolver resolver, AliasDirectory aliases, StoreCaller callers,
        AppPasses passes) {

    /** Completes (in place when everything it needs is cached) with what to do; fails as identity or resolution do. */
    public CompletionStage<Decision> decide(AppRequest request) {
        if (!ShardedRouteResolver.plausibleId(request.name())) {
            return done(new Decision.NotFound(request.name(), ""));
        }
        if (passes.enabled() && request.navigation() && request.credentials().header("authorization").isEmpty()
                && !passes.hasPass(request.credentials(), request.origin())) {
            // A browser new to this origin: the store says who it is (it has the session cookie) with a grant for
            // this origin alone, which comes back here as this origin's pass.
            return done(new Decision.Redirect(302, appPassUrl(request.origin() + request.appPath())));
        }
        return aliases.snapshot().thenCompose(snapshot -> {
            Optional<Alias> alias = snapshot.alias(request.name());
            if (alias.isPresent() && alias.get().instanceId().isEmpty()) {
                return done(new Decision.NotFound(request.name(), "The alias points at no instance."));
            }
            String instanceId = alias.flatMap(Alias::instanceId).orElse(request.name());
            return callers.resolveOnApp(request.credentials(), request.origin())
                    .thenCombine(resolver.resolve(instanceId),
                            (caller, target) -> decide(request, caller, target, snapshot, alias.isPresent()));
        });
    }

    private Decision decide(AppRequest request, Caller caller, RouteTarget target, AliasDirectory.Snapshot snapshot,
            boolean viaAlias) {
        if (!target.exists()) {
            return new Decision.NotFound(request.name(), viaAlias
                    ? "The alias points at an instance that no longer exists." : "");
        }
        if (!InstanceAccess.allows(caller, InstanceAccess.Action.OPEN_UI, target.facts())) {
            return new Decision.Refused(caller, target);
        }
        if (target.routingMode() == RoutingMode.DOMAIN && request.mode() == RoutingMode.BASE_URL) {
            return new Decision.Redirect(307, settings.domainOrigin(request.name()) + request.rest() + request.query());
        }
        if (target.routingMode() == RoutingMode.BASE_URL && request.mode() == RoutingMode.DOMAIN) {
            return new Decision.Redirect(307,
                    settings.appsOrigin() + "/instance/" + request.name() + request.rest() + request.query());
        }
        Optional<String> primary = snapshot.primaryOf(target.instanceId());
        if (request.navigation() && primary.isPresent() && !primary.get().equals(request.name())) {
            String there = request.mode() == RoutingMode.BASE_URL
                    ? "/instance/" + primary.get() + request.rest()
                    : settings.domainOrigin(primary.get()) + request.rest();
            return new Decision.Redirect(302, there + request.query());
        }
        if (request.webSocket() && !sameOrigin(request.credentials(), request.host(), settings.trustForwardedHeaders())) {
            return new Decision.CrossSiteWebSocket();
        }
        if (!target.routable()) {
            return new Decision.NotRunning(caller, target);
        }
        Optional<String> landing = request.navigation() && request.rest().equals("/") ? target.landing() : Optional.empty();
        if (landing.isPresent()) {
            // The app's handlers are elsewhere (@app('/demo')): at its root Wave would show only its logo.
            String base = request.mode() == RoutingMode.BASE_URL ? "/instance/" + request.name() : "";
            return new Decision.Redirect(302, base + landing.get() + request.query());
        }
        return new Decision.Proxy(caller, target, snapshot);
    }

    /** The path on the instance: under {@code /instance/<id>/} in BASE_URL mode (an alias replaced by the id). */
    public static String upstreamPath(AppRequest request, RouteTarget target) {
        return request.mode() == RoutingMode.BASE_URL ? "/instance/" + target.instanceId() + request.rest() : request.rest();
    }

    /** Where a caller who is not signed in signs in, coming back to this request; empty: no sign-in page. */
    Optional<String> loginUrl(AppRequest request) {
        // The development identity has no sign-in to send anyone to (its login would come straight back).
        return callers.development() ? Optional.empty() : settings.loginUrl().map(url -> {
            // After signing in, the store mints this origin's pass for the new session and comes back here.
            String back = appPassPath(request.origin() + request.appPath());
            String there = url.replace("{return}", URLEncoder.encode(back, StandardCharsets.UTF_8));
            return there.startsWith("/") ? settings.storeOrigin() + there : there;
        });
    }

    /** The store's page that mints an app origin's grant for whoever the browser is signed in as, then returns to it. */
    private String appPassUrl(String appUrl) {
        return settings.storeOrigin() + appPassPath(appUrl);
    }

    private static String appPassPath(String appUrl) {
        return "/auth/app-pass?to=" + URLEncoder.encode(appUrl, StandardCharsets.UTF_8);
    }

    /**
     * A request whose Origin (browsers always send one with a WebSocket or a change) names the host it was sent to,
     * like the Wave server's own check. Clients that send no Origin (not browsers) pass.
     */
    public static boolean sameOrigin(RequestCredentials headers, String host, boolean trustForwarded) {
        Optional<String> origin = headers.header("origin");
        if (origin.isEmpty()) {
            return true;
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(origin.get().trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        List<String> asked = new ArrayList<>(List.of(host));
        if (trustForwarded) {
            headers.header("x-forwarded-host").ifPresent(asked::add);
        }
        String originHost = uri.getHost().toLowerCase(Locale.ROOT);
        for (String h : asked) {
            String lower = h.trim().toLowerCase(Locale.ROOT);
            if (lower.equals(originHost + ":" + port) || (lower.equals(originHost) && uri.getPort() < 0)) {
                return true;
            }
        }
        return false;
    }

    private static CompletionStage<Decision> done(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }
}
