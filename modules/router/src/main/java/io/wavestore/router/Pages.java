package io.wavestore.router;

import io.wavestore.scheduler.LaunchProgress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The router's own pages, for when an instance cannot answer itself: starting (follows the launcher's progress and
 * reloads when the app is ready), suspended (with Resume for those who may), and the errors. Small, server-rendered,
 * no external assets; every value is escaped, and the inline style and script run only under this response's nonce.
 */
final class Pages {

    /** The launcher's steps, in order, as people read them (LaunchProgress.step). */
    static final List<String[]> STEPS = List.of(
            new String[] {"DOWNLOADING_BUNDLE", "Downloading the app"},
            new String[] {"SOURCING_APP", "Unpacking the app"},
            new String[] {"INSTALLING_DEPENDENCIES", "Installing its dependencies"},
            new String[] {"STARTING_WAVE_SERVER", "Starting the Wave server"},
            new String[] {"STARTING_APP", "Starting the app"},
            new String[] {"READY", "Ready"});

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String STYLE = """
            :root{color-scheme:light dark;--fg:#1d2433;--muted:#5b6478;--line:#d8dce6;--accent:#1f6feb;--bad:#c62828}
            @media (prefers-color-scheme:dark){:root{--fg:#e6e9f0;--muted:#9aa3b5;--line:#3a4151;--accent:#58a6ff;--bad:#ff7b72}}
            body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0;
            display:flex;min-height:100vh;align-items:center;justify-content:center}
            main{max-width:34rem;padding:2rem}
            .brand{font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0 0 .5rem}
            h1{font-size:1.5rem;margin:0 0 .75rem}
            .app{color:var(--muted);margin:0 0 1rem}
            .steps{list-style:none;padding:0;margin:1rem 0;border-left:2px solid var(--line)}
            .steps li{padding:.15rem 0 .15rem .9rem;color:var(--muted)}
            .steps li.done{color:var(--fg)}
            .steps li.done::before{content:"\\2713  "}
            .steps li.current{color:var(--accent);font-weight:600}
            .steps li.failed{color:var(--bad);font-weight:600}
            .problem{color:var(--bad);white-space:pre-wrap}
            .hint{color:var(--muted);font-size:.9rem}
            button{font:inherit;padding:.5rem 1.25rem;border:0;border-radius:.4rem;background:var(--accent);color:#fff;cursor:pointer}
            button[disabled]{opacity:.6;cursor:default}
            a{color:var(--accent)}""";

    private static final String FOLLOW_PROGRESS = """
            (function () {
              var root = document.getElementById('wavestore');
              var api = root.getAttribute('data-api');
              var order = [], labels = {};
              var items = document.querySelectorAll('.steps li');
              for (var k = 0; k < items.length; k++) {
                order.push(items[k].getAttribute('data-step'));
                labels[items[k].getAttribute('data-step')] = items[k].textContent;
              }
              function show(instance) {
                var p = instance.progress;
                if (!p || !p.step) { return; }
                document.getElementById('state').textContent =
                    (labels[p.step] || p.step) + (p.message ? ': ' + p.message : '');
                var at = order.indexOf(p.step);
                for (var k = 0; k < items.length; k++) {
                  items[k].className = k < at ? 'done' : (k === at ? (p.state === 'failed' ? 'failed' : 'current') : '');
                }
              }
              function reloadLater() { setTimeout(function () { location.reload(); }, 4000); }
              function poll() {
                if (!api) { reloadLater(); return; }
                fetch(api, {credentials: 'include', cache: 'no-store', headers: {'Accept': 'application/json'}})
                  .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
                  .then(function (instance) {
                    if (instance.ready && !instance.suspended) { location.reload(); return; }
                    show(instance);
                    setTimeout(poll, 1500);
                  })
                  .catch(reloadLater);
              }
              setTimeout(poll, 1000);
            })();""";

    private final String storeOrigin;

    Pages(RouterSettings settings) {
        this.storeOrigin = settings.storeOrigin();
    }

    /**
     * @param apiUrl the instance's status on this origin, when the caller may read it; the page polls it and otherwise
     *               reloads itself now and then (this page then shows the newest step)
     */
    HttpResponse starting(RouteTarget target, Optional<String> apiUrl, boolean maySeeProblem) {
        Optional<LaunchProgress> progress = target.progress();
        int at = progress.map(p -> stepIndex(p.step())).orElse(-1);
        boolean failed = target.phase() == io.wavestore.scheduler.runtime.InstanceHealth.Phase.FAILED
                || progress.map(LaunchProgress::failed).orElse(false);
        StringBuilder body = new StringBuilder();
        body.append("<p class=\"app\">").append(Html.escape(target.appTitle())).append("</p>\n");
        body.append("<p id=\"state\" role=\"status\">").append(Html.escape(stateLine(target))).append("</p>\n");
        body.append("<ol class=\"steps\">");
        for (int i = 0; i < STEPS.size(); i++) {
            String css = i < at ? "done" : i == at ? (failed ? "failed" : "current") : "";
            body.append("<li data-step=\"").append(STEPS.get(i)[0]).append('"')
                    .append(css.isEmpty() ? "" : " class=\"" + css + "\"").append('>')
                    .append(Html.escape(STEPS.get(i)[1])).append("</li>");
        }
        body.append("</ol>\n");
        if (maySeeProblem && failed) {
            target.problem().or(() -> progress.map(LaunchProgress::message)).ifPresent(problem ->
                    body.append("<p class=\"problem\">").append(Html.escape(problem)).append("</p>\n"));
        }
        body.append("<p class=\"hint\">This page reloads by itself when the app is ready.</p>\n");
        body.append("<div id=\"wavestore\" hidden data-api=\"").append(Html.escape(apiUrl.orElse(""))).append("\"></div>");
        String heading = failed ? "The app is having trouble starting" : "Starting the app";
        return page(StatusCodes.SERVICE_UNAVAILABLE, heading, body.toString(), FOLLOW_PROGRESS, true,
                List.of(RawHeader.create("Retry-After", "2")));
    }

    /**
     * The page of a suspended instance. This page is on the app's origin, which never calls the store's API: who may
     * resume it is sent to the instance's page in the store.
     */
    HttpResponse suspended(RouteTarget target, boolean mayManage) {
        StringBuilder body = new StringBuilder();
        body.append("<p class=\"app\">").append(Html.escape(target.appTitle())).append("</p>\n");
        body.append("<p>This instance is suspended: it is not running, and its data is kept.</p>\n");
        if (mayManage) {
            body.append("<p><a id=\"resume\" href=\"").append(Html.escape(storeOrigin + "/instances/" + target.instanceId()))
                    .append("\">Resume it in the store</a></p>\n");
        } else {
            body.append("<p class=\"hint\">Its owner can resume it.</p>\n");
        }
        return page(StatusCodes.SERVICE_UNAVAILABLE, "Suspended", body.toString(), null, false, List.of());
    }

    /** A message with one link onwards. */
    HttpResponse link(StatusCode status, String heading, String text, String href, String label) {
        return page(status, heading, "<p>" + Html.escape(text) + "</p>\n<p><a href=\"" + Html.escape(href) + "\">"
                + Html.escape(label) + "</a></p>", null, false, List.of());
    }

    HttpResponse notFound(String name, String detail) {
        return message(StatusCodes.NOT_FOUND, "Not found", "There is no app at " + name + ". " + detail);
    }

    HttpResponse forbidden(String name) {
        return message(StatusCodes.FORBIDDEN, "Not yours to open",
                "You may see that " + name + " exists, but not use it: ask its owner to share it.");
    }

    HttpResponse signIn(String name, Optional<String> loginHref) {
        StringBuilder body = new StringBuilder("<p>Sign in to open " + Html.escape(name) + ".</p>");
        loginHref.ifPresent(href -> body.append("<p><a href=\"").append(Html.escape(href)).append("\">Sign in</a></p>"));
        return page(StatusCodes.UNAUTHORIZED, "Sign-in required", body.toString(), null, false, List.of());
    }

    HttpResponse message(StatusCode status, String heading, String text) {
        return page(status, heading, "<p>" + Html.escape(text) + "</p>", null, false, List.of());
    }

    private static String stateLine(RouteTarget target) {
        if (target.progress().isPresent()) {
            LaunchProgress p = target.progress().get();
            int i = stepIndex(p.step());
            String label = i >= 0 ? STEPS.get(i)[1] : p.step();
            return p.message() == null || p.message().isBlank() ? label : label + ": " + p.message();
        }
        if (target.operation().isPresent()) {
            return "Busy: " + target.operation().get();
        }
        return switch (target.phase()) {
            case PENDING -> "Waiting for a place to run";
            case STARTING -> "Starting";
            case FAILED -> "It stopped and is being restarted";
            case RUNNING -> "Almost ready";
            case STOPPED -> "Not running yet";
        };
    }

    private static int stepIndex(String step) {
        for (int i = 0; i < STEPS.size(); i++) {
            if (STEPS.get(i)[0].equals(step)) {
                return i;
            }
        }
        return -1;
    }

    private HttpResponse page(StatusCode status, String heading, String body, String script, boolean refreshWithoutScript,
            List<HttpHeader> extra) {
        String nonce = nonce();
        StringBuilder html = new StringBuilder(4096);
        html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"robots\" content=\"noindex\">\n");
        if (refreshWithoutScript) {
            html.append("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>\n");
        }
        html.append("<title>").append(Html.escape(heading)).append(" \u00b7 Wavestore</title>\n")
                .append("<style nonce=\"").append(nonce).append("\">").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<p class=\"brand\">Wavestore</p>\n<h1>").append(Html.escape(heading)).append("</h1>\n")
                .append(body).append("\n</main>\n");
        if (script != null) {
            html.append("<script nonce=\"").append(nonce).append("\">").append(script).append("</script>\n");
        }
        html.append("</body>\n</html>\n");
        List<HttpHeader> headers = new java.util.ArrayList<>(List.of(
                RawHeader.create("Cache-Control", "no-store"),
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                RawHeader.create("Referrer-Policy", "same-origin"),
                RawHeader.create("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce
                        + "'; script-src 'nonce-" + nonce + "'; connect-src 'self'"
                        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")));
        headers.addAll(extra);
        return HttpResponse.create().withStatus(status).addHeaders(headers)
                .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, html.toString()));
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
