package io.wavestore.server.http;

import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI: the files that the server module's build compiles from {@code src/main/web} into {@code web/} on the
 * class path (see modules/server/pom.xml).
 * <ul>
 *   <li>{@code /assets/...}: content-hashed file names, so cached for a year and never revalidated;</li>
 *   <li>{@code /} and the UI's own pages ({@code /apps/...}, {@code /instances...}, {@code /upload}, {@code /secrets}, {@code /admin...}, {@code /activity}):
 *       {@code index.html}, revalidated on every load so that a new release is picked up at once.</li>
 * </ul>
 * Only those page prefixes fall back to index.html: {@code /api}, {@code /auth} and the router's {@code /instance}
 * stay theirs. The Content-Security-Policy allows scripts, styles, images and requests from the store alone, so a
 * bundle's long description could not run a script even if markdown rendering let one through.
 */
public final class WebRoutes extends AllDirectives {

    private static final Logger LOG = LoggerFactory.getLogger(WebRoutes.class);
    private static final String ROOT = "web";
    /** First path segments of the UI's client-side routes (src/main/web/src/main.ts). */
    private static final Set<String> PAGES = Set.of("apps", "instances", "upload", "secrets", "admin", "activity");

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final List<HttpHeader> PAGE_HEADERS = List.of(
            CacheControl.create(CacheDirectives.NO_CACHE),
            RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("Referrer-Policy", "same-origin"));
    private static final List<HttpHeader> ASSET_HEADERS = List.of(
            CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(31_536_000), CacheDirectives.IMMUTABLE),
            RawHeader.create("X-Content-Type-Options", "nosniff"));

    public WebRoutes() {
        if (WebRoutes.class.getClassLoader().getResource(ROOT + "/index.html") == null) {
            LOG.warn("the web UI is not on the class path (no {}/index.html): build modules/server with Maven, which"
                    + " runs npm in src/main/web", ROOT);
        }
    }

    /**
     * The paths whose answers cannot change while the store runs: index.html at {@code /} and the content-hashed
     * assets (both read from the class path). The data plane may answer them itself, replaying these routes' answer.
     */
    public static boolean unchangingWhileRunning(String path) {
        return path.equals("/") || path.startsWith("/assets/") && path.length() > "/assets/".length()
                && path.length() <= 200 && path.charAt("/assets/".length()) != '.'
                && path.substring("/assets/".length()).chars().allMatch(WebRoutes::fileNameCharacter);
    }

    private static boolean fileNameCharacter(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }

    public Route routes() {
        return get(() -> concat(
                pathPrefix("assets", () -> respondWithHeaders(ASSET_HEADERS,
                        () -> getFromResourceDirectory(ROOT + "/assets"))),
                pathSingleSlash(this::index),
                pathPrefix(PathMatchers.segment(), first -> PAGES.contains(first) ? index() : reject())));
    }

    private Route index() {
        return respondWithHeaders(PAGE_HEADERS, () -> getFromResource(ROOT + "/index.html", ContentTypes.TEXT_HTML_UTF8));
    }
}
