package io.wavestore.router;

import io.wavestore.identity.AppPasses;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.CsrfException;
import io.wavestore.identity.CsrfGuard;
import io.wavestore.identity.RequestCredentials;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Who sent a request, by the identity layer's rules. A resolver may block (sessions live in PostgreSQL), so it runs
 * on the router's blocking dispatcher; the development identity never blocks and answers in place.
 *
 * <p>A page of a Wave app is dozens of requests with the same credentials, so a signed-in caller is remembered for
 * a few seconds ({@code wavestore.router.caller-cache-ttl}), keyed by everything in the request that can say who
 * it is: Authorization, Cookie, and the store's own headers. Signing out reaches the router within that time.
 */
public final class StoreCaller {

    private static final int MAX_REMEMBERED = 10_000;

    private final CallerResolver identity;
    private final AppPasses passes;
    private final Executor blocking;
    private final java.util.List<String> storeHeaders;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Authentication authentication, long expiresAt) {
    }

    public StoreCaller(CallerResolver identity, AppPasses passes, Executor blocking, java.util.List<String> storeHeaders,
            Duration ttl) {
        this(identity, passes, blocking, storeHeaders, ttl, System::nanoTime);
    }

    StoreCaller(CallerResolver identity, AppPasses passes, Executor blocking, java.util.List<String> storeHeaders,
            Duration ttl, LongSupplier nanoTime) {
        this.identity = identity;
        this.passes = passes;
        this.blocking = blocking;
        this.storeHeaders = storeHeaders;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Fails with the resolver's {@link io.wavestore.identity.AuthenticationException} for invalid credentials. */
    public CompletionStage<Caller> resolve(HttpRequest request) {
        return authenticate(credentials(request), "").thenApply(Authentication::caller);
    }

    /**
     * Who sent a request to an app's origin: there the visitor is known by that origin's pass, never by a cookie of
     * the store's ({@link AppPasses#onAppOrigin}).
     */
    public CompletionStage<Caller> resolveOnApp(HttpRequest request, String origin) {
        return resolveOnApp(credentials(request), origin);
    }

    /** {@link #resolveOnApp(HttpRequest, String)} from the request's credentials, whatever server received it. */
    public CompletionStage<Caller> resolveOnApp(RequestCredentials credentials, String origin) {
        return authenticate(passes.onAppOrigin(credentials, origin), origin).thenApply(Authentication::caller);
    }

    /**
     * Who sent a request that may change the store's state, by the same rule as the rest of the API: a request
     * authenticated by the session cookie must also carry the session's CSRF token ({@link CsrfGuard}); fails with a
     * {@link CsrfException} when it does not.
     */
    public CompletionStage<Caller> resolveGuarded(HttpRequest request) {
        String method = request.method().value();
        java.util.Optional<String> presented = request.getHeader(CsrfGuard.HEADER).map(HttpHeader::value);
        return authenticate(credentials(request), "").thenApply(authentication -> {
            try {
                CsrfGuard.check(authentication, method, presented);
                return authentication.caller();
            } catch (CsrfException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** @param origin where the credentials were presented: a pass is good on one origin only, and so is its answer */
    private CompletionStage<Authentication> authenticate(RequestCredentials credentials, String origin) {
        if (identity.isDevelopment()) {
            try {
                return CompletableFuture.completedFuture(identity.authenticate(credentials));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        String key = ttlNanos > 0 ? key(credentials, origin) : null;
        if (key != null) {
            Remembered known = remembered.get(key);
            if (known != null && nanoTime.getAsLong() - known.expiresAt() < 0) {
                return CompletableFuture.completedFuture(known.authentication());
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Authentication authentication = identity.authenticate(credentials);
                if (key != null && authentication.caller().signedIn()) {
                    if (remembered.size() >= MAX_REMEMBERED) {
                        remembered.clear();
                    }
                    remembered.put(key, new Remembered(authentication, nanoTime.getAsLong() + ttlNanos));
                }
                return authentication;
            } catch (io.wavestore.identity.AuthenticationException e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }

    /** The development identity: no sign-in page exists. */
    public boolean development() {
        return identity.isDevelopment();
    }

    /** Everything that can say who the caller is; null when nothing does (anonymous: nothing to remember). */
    private String key(RequestCredentials credentials, String origin) {
        StringBuilder key = new StringBuilder();
        credentials.header("authorization").ifPresent(v -> key.append("a:").append(v).append('\n'));
        credentials.header("cookie").ifPresent(v -> key.append("c:").append(v).append('\n'));
        for (String name : storeHeaders) {
            credentials.header(name).ifPresent(v -> key.append(name).append(':').append(v).append('\n'));
        }
        return key.length() == 0 ? null : key.append("o:").append(origin).toString();
    }

    static RequestCredentials credentials(HttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        Map<String, String> cookies = new HashMap<>();
        for (HttpHeader h : request.getHeaders()) {
            headers.merge(h.lowercaseName(), h.value(), (a, b) -> a + (h.lowercaseName().equals("cookie") ? "; " : ", ") + b);
            // From the text, whether pekko modelled the header or kept it raw (it does for cookies it cannot parse).
            if (h.lowercaseName().equals("cookie")) {
                parseCookies(h.value(), cookies);
            }
        }
        return new RequestCredentials(headers, cookies);
    }

    /** The pairs of one Cookie header, the first of each name kept. */
    static void parseCookies(String cookieHeader, Map<String, String> into) {
        for (String pair : cookieHeader.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                into.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }
}
