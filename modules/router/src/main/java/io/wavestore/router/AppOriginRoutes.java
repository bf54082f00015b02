package io.wavestore.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.identity.AppPasses;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.router.alias.AliasDirectory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The store's own paths on an app's origin, under {@value #PREFIX} (a prefix no Wave app uses):
 * <ul>
 *   <li>{@code GET /_wavestore/pass?grant=...&to=/path}: redeems a grant the store minted for this origin
 *       ({@link AppPasses}) for the pass cookie of this origin, and sends the browser on to {@code to}.</li>
 *   <li>{@code GET /_wavestore/status/<name>}: what the starting page shows, for callers who may see the instance's
 *       status, so that the page never needs the store's API from another origin.</li>
 * </ul>
 */
final class AppOriginRoutes extends AllDirectives {

    static final String PREFIX = "/_wavestore/";

    private final AppPasses passes;
    private final StoreCaller callers;
    private final RouteResolver resolver;
    private final AliasDirectory aliases;
    private final Pages pages;
    private final ObjectMapper json;

    AppOriginRoutes(AppPasses passes, StoreCaller callers, RouteResolver resolver,
            AliasDirectory aliases, Pages pages, ObjectMapper json) {
        this.passes = passes;
        this.callers = callers;
        this.resolver = resolver;
        this.aliases = aliases;
        this.pages = pages;
        this.json = json;
    }

    /** @param origin this request's app origin, {@link RouterSettings#origin(String)} of its host */
    Route routes(String origin) {
        return pathPrefix("_wavestore", () -> concat(
                path("pass", () -> get(() -> parameterOptional("grant", grant -> parameterOptional("to",
                        to -> complete(pass(origin, grant, to)))))),
                path(PathMatchers.segment("status").slash(PathMatchers.segment()), name -> get(() -> extractRequest(
                        request -> completeWithFuture(status(name, request, origin))))),
                complete(pages.notFound("this address", ""))));
    }

    private HttpResponse pass(String origin, Optional<String> grant, Optional<String> to) {
        String back = to.filter(AppOriginRoutes::localPath).orElse("/");
        Optional<AppPasses.Pass> pass = grant.flatMap(g -> passes.redeem(g, origin));
        if (pass.isEmpty()) {
            // An old link (grants live a minute) or a forged one: no cookie, and no redirect that would come back here.
            return pages.link(StatusCodes.BAD_REQUEST, "This link has expired",
                    "The link that signs you in to this app is no longer valid.", back, "Open the app");
        }
        String cookie = AppPasses.COOKIE + "=" + pass.get().cookieValue() + "; Path=/; Max-Age="
                + pass.get().maxAge().toSeconds() + "; HttpOnly; SameSite=Lax"
                + (origin.startsWith("https:") ? "; Secure" : "");
        return HttpResponse.create().withStatus(StatusCodes.FOUND)
                .addHeader(RawHeader.create("Set-Cookie", cookie))
                .addHeader(RawHeader.create("Location", back))
                .addHeader(RawHeader.create("Cache-Control", "no-store"))
                .addHeader(RawHeader.create("Referrer-Policy", "no-referrer"));
    }

    private CompletionStage<HttpResponse> status(String name, org.apache.pekko.http.javadsl.model.HttpRequest request,
            String origin) {
        if (!ShardedRouteResolver.plausibleId(name)) {
            return CompletableFuture.completedFuture(notFound());
        }
        return aliases.snapshot().thenCompose(snapshot -> {
            String id = snapshot.alias(name).flatMap(a -> a.instanceId()).orElse(name);
            return callers.resolveOnApp(request, origin).thenCombine(resolver.resolveFresh(id), (caller, target) ->
                    target.exists() && InstanceAccess.allows(caller, InstanceAccess.Action.VIEW_STATUS, target.facts())
                            ? json(statusOf(target))
                            : notFound());
        });
    }

    private static Map<String, Object> statusOf(RouteTarget target) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", target.instanceId());
        status.put("ready", target.routable());
        status.put("suspended", target.suspended());
        status.put("phase", target.phase().name());
        target.progress().ifPresent(p -> status.put("progress",
                Map.of("step", p.step(), "state", p.state(), "message", p.message() == null ? "" : p.message())));
        return status;
    }

    private HttpResponse json(Object body) {
        try {
            return HttpResponse.create().addHeader(RawHeader.create("Cache-Control", "no-store"))
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a status cannot be written", e);
        }
    }

    private static HttpResponse notFound() {
        return HttpResponse.create().withStatus(StatusCodes.NOT_FOUND)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":404}"));
    }

    /** A path of this origin: never another host ({@code //evil}, {@code /\evil}) nor a scheme. */
    static boolean localPath(String path) {
        return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\")
                && path.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
    }
}
