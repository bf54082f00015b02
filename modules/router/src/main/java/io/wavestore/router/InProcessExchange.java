package io.wavestore.router;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.TimeoutAccess;
import scala.Function1;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * One request of a connection handed to the store's routes in-process ({@link StoreRoutes}): asks the routes, writes
 * their answer on the connection's event loop, and keeps pekko-http's request timeout as its server does: the routes
 * may change the timeout and its answer through the request's {@code Timeout-Access} header (this object), and when
 * the time is up first that answer is written and the routes' late one dropped.
 */
final class InProcessExchange implements TimeoutAccess {

    /** pekko-http's own answer to a request that timed out, when the routes set none. */
    private static final java.util.function.Function<HttpRequest, HttpResponse> PEKKO_TIMEOUT_ANSWER =
            request -> HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity(HttpEntities.create(
                    "The server was not able to produce a timely response to your request.\r\n"
                            + "Please try again in a short while!"));

    private final ChannelHandlerContext ctx;
    private final StoreRoutes routes;
    /** Told on the event loop once the answer was written whole and the connection stays open. */
    private final Runnable done;
    /** A streamed answer whose reader takes nothing for this long ends its connection. */
    private final java.time.Duration idleTimeout;
    private final long startNanos = System.nanoTime();
    private volatile long timeoutNanos;
    private volatile java.util.function.Function<HttpRequest, HttpResponse> timeoutAnswer = PEKKO_TIMEOUT_ANSWER;
    private HttpRequest request;
    /** Event loop only. */
    private boolean answered;
    private ScheduledFuture<?> timer;

    InProcessExchange(ChannelHandlerContext ctx, StoreRoutes routes, java.time.Duration idleTimeout, Runnable done) {
        this.ctx = ctx;
        this.idleTimeout = idleTimeout;
        this.routes = routes;
        this.done = done;
        this.timeoutNanos = routes.requestTimeout().toNanos();
    }

    /** The request's {@code Timeout-Access} header. */
    org.apache.pekko.http.javadsl.model.headers.TimeoutAccess header() {
        return org.apache.pekko.http.javadsl.model.headers.TimeoutAccess.create(this);
    }

    /** Hands {@code request} (built with {@link #header}) to the routes. On the connection's event loop. */
    void start(HttpRequest request) {
        this.request = request;
        schedule();
        CompletionStage<HttpResponse> answer;
        try {
            answer = routes.handler().apply(request);
        } catch (Exception e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // On the event loop itself: the routes' answers are Scala futures seen as CompletableFutures, whose
        // non-async callbacks run on the common pool, which is a new thread per callback on two cores.
        answer.whenCompleteAsync(this::answer, ctx.executor());
    }

    private void answer(HttpResponse response, Throwable error) {
        if (answered) {
            if (response != null) {
                response.discardEntityBytes(routes.materializer()); // the timeout's answer went first
            }
            return;
        }
        answered = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (!ctx.channel().isActive()) {
            if (response != null) {
                response.discardEntityBytes(routes.materializer());
            }
            return;
        }
        HttpResponse written = error == null ? response : HttpResponse.create()
                .withStatus(StatusCodes.INTERNAL_SERVER_ERROR).withEntity("There was an internal server error.");
        InProcessAnswers.write(ctx, written, request.method().equals(HttpMethods.HEAD), routes.serverHeader(),
                        routes.materializer(), idleTimeout)
                .whenCompleteAsync((keepOpen, failed) -> {
                    if (failed != null || !keepOpen) {
                        ctx.close();
                    } else {
                        done.run();
                    }
                }, ctx.executor());
    }

    private void schedule() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        long left = timeoutNanos - (System.nanoTime() - startNanos);
        if (timeoutNanos > 0 && !answered) {
            timer = ctx.executor().schedule(() -> answer(timeoutAnswer.apply(request), null), Math.max(0, left),
                    TimeUnit.NANOSECONDS);
        }
    }

    // TimeoutAccess, called by the routes from any thread

    @Override
    public Duration timeout() {
        long nanos = timeoutNanos;
        return nanos > 0 ? FiniteDuration.apply(nanos, TimeUnit.NANOSECONDS) : Duration.Inf();
    }

    @Override
    public void updateTimeout(Duration timeout) {
        timeoutNanos = timeout.isFinite() ? timeout.toNanos() : 0;
        ctx.executor().execute(this::schedule);
    }

    @Override
    public void updateTimeout(java.time.Duration timeout) {
        updateTimeout(FiniteDuration.apply(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public void updateHandler(Function1<org.apache.pekko.http.scaladsl.model.HttpRequest,
            org.apache.pekko.http.scaladsl.model.HttpResponse> handler) {
        timeoutAnswer = request -> handler.apply((org.apache.pekko.http.scaladsl.model.HttpRequest) request);
    }

    @Override
    public void updateHandler(org.apache.pekko.japi.Function<HttpRequest, HttpResponse> handler) {
        timeoutAnswer = request -> {
            try {
                return handler.apply(request);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    public void update(Duration timeout, Function1<org.apache.pekko.http.scaladsl.model.HttpRequest,
            org.apache.pekko.http.scaladsl.model.HttpResponse> handler) {
        updateHandler(handler);
        updateTimeout(timeout);
    }

    @Override
    public void update(Duration timeout, org.apache.pekko.japi.Function<HttpRequest, HttpResponse> handler) {
        updateHandler(handler);
        updateTimeout(timeout);
    }

    @Override
    public void update(java.time.Duration timeout, org.apache.pekko.japi.Function<HttpRequest, HttpResponse> handler) {
        updateHandler(handler);
        updateTimeout(timeout);
    }
}
