package io.wavestore.server.auth;

import io.wavestore.router.RouterSettings;
import io.wavestore.server.problem.Problem;
import io.wavestore.server.problem.ProblemResponses;
import io.wavestore.server.api.ApiException;
import io.wavestore.server.problem.ProblemMapping;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.identity.AppPasses;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.CsrfGuard;
import io.wavestore.identity.LocalPath;
import io.wavestore.identity.RequestCredentials;
import io.wavestore.identity.oidc.OidcIdentity;
import io.wavestore.identity.oidc.OidcSettings;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Browser sign-in and sign-out under {@code /auth}:
 * <ul>
 *   <li>{@code GET /auth/login?return_to=/path}: starts the OIDC code flow (PKCE, state, nonce kept server-side)
 *       and sends the browser to the provider, with a short-lived login cookie that binds the sign-in to it.</li>
 *   <li>{@code GET /auth/callback}: the provider's redirect back; completes the sign-in, sets a new session cookie
 *       (HttpOnly, SameSite, Secure over TLS) and sends the browser to {@code return_to}, a local path only.</li>
 *   <li>{@code POST /auth/logout}: ends the session (with the session's CSRF token, in {@code X-CSRF-Token} or a
 *       {@code csrf_token} form field) and sends the browser to the provider's sign-out page when it has one.</li>
 *   <li>{@code GET /auth/app-pass?to=<app URL>}: apps live on origins of their own, where the session cookie never
 *       goes; this mints a grant for the app's origin alone ({@link AppPasses}) and sends the browser there, where the
 *       router turns it into that origin's pass.</li>
 * </ul>
 * With the development identity there is nothing to sign in to: login and logout just send the browser on.
 */
public final class AuthRoutes extends AllDirectives {

    private static final String CALLBACK = "/auth/callback";

    private final CallerResolver identity;
    private final Optional<OidcIdentity> oidc;
    private final AppPasses passes;
    private final RouterSettings router;
    private final ProblemResponses problems;
    private final Executor blocking;

    public AuthRoutes(ActorSystem<?> system, CallerResolver identity, Optional<OidcIdentity> oidc, AppPasses passes,
            RouterSettings router, ObjectMapper mapper) {
        this.identity = identity;
        this.oidc = oidc;
        this.passes = passes;
        this.router = router;
        this.problems = new ProblemResponses(mapper, ProblemMapping::toProblem);
        this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("wavestore.identity.dispatcher"));
    }

    public Route routes() {
        return pathPrefix("auth", () -> extractUri(uri -> handleExceptions(problems.exceptionHandler(uri.path()), () ->
                handleRejections(problems.rejectionHandler(), () -> respondWithHeader(
                        CacheControl.create(CacheDirectives.NO_STORE), () -> concat(
                                path("login", () -> get(() -> parameterOptional("return_to", this::login))),
                                path("callback", () -> get(() -> parameterMap(this::callback))),
                                path("logout", () -> post(this::logout)),
                                path("app-pass", () -> get(() -> parameterOptional("to", this::appPass)))))))));
    }

    private Route login(Optional<String> returnTo) {
        if (oidc.isEmpty()) {
            return redirect(Uri.create(LocalPath.orRoot(returnTo)), StatusCodes.FOUND);
        }
        OidcIdentity sso = oidc.get();
        return extractRequest(request -> {
            URI redirectUri = sso.settings().redirectUri()
                    .orElseGet(() -> URI.create(publicBase(sso.settings(), request) + CALLBACK));
            return onSuccess(blocking(() -> sso.beginLogin(redirectUri, returnTo)), start -> respondWithHeader(
                    SetCookie.create(loginCookie(sso.settings(), request, start.state(), OidcIdentity.LOGIN_TTL.toSeconds())),
                    () -> redirect(Uri.create(start.authorizationUri().toString()), StatusCodes.FOUND)));
        });
    }

    private Route callback(Map<String, String> query) {
        if (oidc.isEmpty()) {
            return redirect(Uri.create("/"), StatusCodes.FOUND);
        }
        OidcIdentity sso = oidc.get();
        OidcSettings settings = sso.settings();
        return extractRequest(request -> {
            Optional<String> state = cookie(request, loginCookieName(settings));
            Optional<String> oldSession = cookie(request, settings.cookieName());
            return onSuccess(blocking(() -> sso.completeLogin(query, state, oldSession)), signedIn -> respondWithHeaders(
                    List.of(SetCookie.create(sessionCookie(settings, request, signedIn.session().id(),
                                    settings.sessionTtl().toSeconds())),
                            SetCookie.create(loginCookie(settings, request, "", 0))),
                    () -> redirect(Uri.create(signedIn.returnTo()), StatusCodes.SEE_OTHER)));
        });
    }

    private Route logout() {
        if (oidc.isEmpty()) {
            return redirect(Uri.create("/"), StatusCodes.SEE_OTHER);
        }
        OidcIdentity sso = oidc.get();
        OidcSettings settings = sso.settings();
        return extractRequest(request -> formToken(request, formToken -> {
            Optional<String> session = cookie(request, settings.cookieName());
            RequestCredentials credentials = new RequestCredentials(Map.of(), session
                    .map(id -> Map.of(settings.cookieName(), id)).orElse(Map.of()));
            Optional<String> presented = request.getHeader(CsrfGuard.HEADER).map(HttpHeader::value).or(() -> formToken);
            URI afterLogout = URI.create(publicBase(settings, request) + "/");
            CompletionStage<Optional<URI>> done = blocking(() -> {
                try {
                    Authentication auth = identity.authenticate(credentials);
                    // Only a live session has anything to protect; a stale cookie is simply cleared.
                    CsrfGuard.check(auth, "POST", presented);
                    return sso.logout(auth.method() == Authentication.Method.SESSION ? session : Optional.empty(),
                            afterLogout);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            return onSuccess(done, providerLogout -> respondWithHeader(
                    SetCookie.create(sessionCookie(settings, request, "", 0)),
                    () -> redirect(Uri.create(providerLogout.map(URI::toString).orElse("/")), StatusCodes.SEE_OTHER)));
        }));
    }

    private Route appPass(Optional<String> to) {
        Optional<URI> target = to.flatMap(AuthRoutes::uri);
        Optional<String> origin = target.flatMap(router::appOriginOf);
        if (origin.isEmpty()) {
            throw new ApiException(Problem.of("not-an-app-url", "Not an app's address", 400, "to must be the URL of an"
                    + " app served by this store (under " + router.appsOrigin() + " or " + router.domainOrigin("<name>")
                    + ")", "to"));
        }
        String path = Optional.ofNullable(target.get().getRawPath()).filter(p -> !p.isEmpty()).orElse("/")
                + Optional.ofNullable(target.get().getRawQuery()).map(q -> "?" + q).orElse("");
        if (!passes.enabled()) {
            return redirect(Uri.create(origin.get() + path), StatusCodes.FOUND);
        }
        String sessionCookie = oidc.orElseThrow().settings().cookieName();
        return extractRequest(request -> {
            Optional<String> cookie = cookie(request, sessionCookie);
            RequestCredentials credentials = new RequestCredentials(Map.of(), cookie
                    .map(id -> Map.of(sessionCookie, id)).orElse(Map.of()));
            // Only a live session goes into the grant; whoever is not signed in gets a grant for nobody.
            CompletionStage<String> grant = blocking(() -> {
                try {
                    boolean live = identity.authenticate(credentials).method() == Authentication.Method.SESSION;
                    return passes.grant(live ? cookie : Optional.empty(), origin.get());
                } catch (Exception e) {
                    return passes.grant(Optional.empty(), origin.get());
                }
            });
            return onSuccess(grant, g -> respondWithHeader(RawHeader.create("Referrer-Policy", "no-referrer"),
                    () -> redirect(Uri.create(origin.get() + "/_wavestore/pass?grant="
                            + URLEncoder.encode(g, StandardCharsets.UTF_8) + "&to="
                            + URLEncoder.encode(path, StandardCharsets.UTF_8)), StatusCodes.FOUND)));
        });
    }

    private static Optional<URI> uri(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The {@code csrf_token} field of an HTML form post; empty for any other body. */
    private Route formToken(HttpRequest request, java.util.function.Function<Optional<String>, Route> inner) {
        if (!request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED)) {
            return inner.apply(Optional.empty());
        }
        return entity(Unmarshaller.entityToString(), body -> {
            Map<String, String> fields = new HashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return inner.apply(Optional.ofNullable(fields.get(CsrfGuard.FORM_FIELD)));
        });
    }

    private <T> CompletionStage<T> blocking(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

    // ---- cookies

    static String loginCookieName(OidcSettings settings) {
        return settings.cookieName() + "_login";
    }

    /**
     * The session cookie: the store's host alone (no Domain, so never an app's host), the whole site, HttpOnly,
     * SameSite as configured, Secure over TLS. Apps learn who their visitor is through passes ({@link AppPasses}).
     */
    static HttpCookie sessionCookie(OidcSettings settings, HttpRequest request, String value, long maxAge) {
        return HttpCookie.create(settings.cookieName(), value)
                .withPath("/")
                .withHttpOnly(true)
                .withSecure(secure(settings, request))
                .withSameSite(settings.cookieSameSite().equals("Strict") ? SameSite.Strict : SameSite.Lax)
                .withMaxAge(maxAge);
    }

    /**
     * The login cookie holds the sign-in's state until the callback. Always SameSite=Lax: the provider's redirect
     * back is a cross-site navigation, which Strict cookies do not follow.
     */
    private static HttpCookie loginCookie(OidcSettings settings, HttpRequest request, String value, long maxAge) {
        return HttpCookie.create(loginCookieName(settings), value)
                .withPath("/auth")
                .withHttpOnly(true)
                .withSecure(secure(settings, request))
                .withSameSite(SameSite.Lax)
                .withMaxAge(maxAge);
    }

    private static boolean secure(OidcSettings settings, HttpRequest request) {
        return settings.cookieSecure().orElseGet(() -> https(request)
                || settings.publicUrl().map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false));
    }

    private static boolean https(HttpRequest request) {
        return request.getUri().scheme().equalsIgnoreCase("https")
                || request.getHeader("X-Forwarded-Proto").map(h -> h.value().trim().toLowerCase(Locale.ROOT))
                        .filter(proto -> proto.equals("https")).isPresent();
    }

    /** The store's URL as the browser sees it: the configured public URL, else the request's scheme and host. */
    private static String publicBase(OidcSettings settings, HttpRequest request) {
        return settings.publicUrl().map(URI::toString).map(AuthRoutes::stripSlash).orElseGet(() -> {
            String host = request.getHeader("Host").map(HttpHeader::value)
                    .orElseGet(() -> request.getUri().host().address());
            return (https(request) ? "https" : "http") + "://" + host;
        });
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Optional<String> cookie(HttpRequest request, String name) {
        for (HttpHeader header : request.getHeaders()) {
            if (header instanceof Cookie cookie) {
                for (var pair : cookie.getCookies()) {
                    if (pair.name().equals(name) && !pair.value().isEmpty()) {
                        return Optional.of(pair.value());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
