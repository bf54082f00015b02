package io.wavestore.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.activity.ActivityDao;
import io.wavestore.activity.ActivityFilter;
import io.wavestore.activity.ActivityHistory;
import io.wavestore.activity.ActivityRow;
import io.wavestore.activity.Usage;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.Role;
import io.wavestore.server.problem.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code /api/v1/activity}: who did what and when, newest first, paged (admins: everything; users: what concerns their
 * apps and instances; visitors: their own instances), {@code /api/v1/activity.csv} for admins, and
 * {@code /api/v1/usage}: instance running time per user or per app version over a period.
 */
public final class ActivityRoutes extends ApiSupport {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final Duration DEFAULT_USAGE_PERIOD = Duration.ofDays(30);

    /** One row as the API shows it. */
    public record ActivityView(long offset, String id, Instant at, String kind, String actorType, String actor,
            String subjectType, String subject, String instance, String app, String version, String owner,
            java.util.Map<String, String> details) {

        static ActivityView of(ActivityRow r) {
            return new ActivityView(r.offset(), r.id(), r.at(), r.kind(), r.actorType(), r.actorId(), r.subjectType(),
                    r.subjectId(), r.instanceId(), r.appName(), r.appVersion(), r.ownerId(), r.details());
        }
    }

    /** The usage over [since, until). */
    public record UsageView(String by, Instant since, Instant until, List<UsageLine> lines) {
    }

    public record UsageLine(String user, String app, String version, double hours, long seconds, int instances) {
    }

    private final ActivityDao dao;
    private final int csvMaxRows;
    private final Executor blocking;
    private final Clock clock;

    public ActivityRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity,
            ObjectMapper mapper, Duration askTimeout, ActivityHistory history, Clock clock) {
        super(system, catalog, identity, mapper, askTimeout);
        this.dao = history.dao();
        this.csvMaxRows = history.settings().csvMaxRows();
        this.clock = clock;
        this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(ActivityHistory.BLOCKING_DISPATCHER));
    }

    public Route routes() {
        return concat(
                path("activity", () -> get(() -> withCaller(caller -> filter(caller, f -> page(f))))),
                path("activity.csv", () -> get(() -> withCaller(caller -> {
                    if (!caller.isAdmin()) {
                        throw forbidden("only admins export the activity history");
                    }
                    return filter(caller, this::csv);
                }))),
                path("usage", () -> get(() -> withCaller(this::usage))));
    }

    private Route filter(Caller caller, java.util.function.Function<ActivityFilter, Route> inner) {
        requireSignedIn(caller);
        return parameterOptional("app", app -> parameterOptional("instance", instance -> parameterOptional("user", user ->
                parameterOptional("since", since -> parameterOptional("until", until -> {
                    Optional<Instant> from = instant(since, "since");
                    Optional<Instant> to = instant(until, "until");
                    checkPeriod(from, to);
                    Optional<String> viewer = caller.isAdmin() ? Optional.empty() : Optional.of(caller.id());
                    return inner.apply(new ActivityFilter(nonBlank(app), nonBlank(instance), nonBlank(user), from, to,
                            viewer, caller.role() == Role.VISITOR));
                })))));
    }

    private Route page(ActivityFilter filter) {
        return parameterOptional("limit", limit -> parameterOptional("offset", offset -> extractUri(uri -> {
            int size = number(limit, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
            int from = number(offset, "offset", 0, 0, Integer.MAX_VALUE);
            CompletionStage<PageView<ActivityView>> page = blocking(() -> {
                long total = dao.count(filter);
                List<ActivityView> items = dao.page(filter, size, from).stream().map(ActivityView::of).toList();
                String next = from + items.size() < total ? nextPage(uri, from + size) : null;
                return new PageView<>(items, total, size, from, next);
            });
            return onSuccess(page, p -> json(StatusCodes.OK, p));
        })));
    }

    /** Oldest first, at most wavestore.activity.csv-max-rows rows; built off the request threads. */
    private Route csv(ActivityFilter filter) {
        CompletionStage<String> text = blocking(() -> {
            StringBuilder out = new StringBuilder(ActivityCsv.HEADER);
            dao.each(filter, csvMaxRows, row -> ActivityCsv.append(out, row));
            return out.toString();
        });
        return onSuccess(text, body -> respondWithHeader(
                ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, java.util.Map.of("filename", "activity.csv")),
                () -> complete(HttpEntities.create(ContentTypes.TEXT_CSV_UTF8,
                        Source.single(ByteString.fromString(body))))));
    }

    private Route usage(Caller caller) {
        requireSignedIn(caller);
        return parameterOptional("by", by -> parameterOptional("since", since -> parameterOptional("until", until -> {
            Usage.By grouping = switch (by.orElse("user").trim().toLowerCase(java.util.Locale.ROOT)) {
                case "user" -> Usage.By.USER;
                case "app" -> Usage.By.APP;
                default -> throw ApiException.badParameter("by", "by must be user or app, not '" + by.get() + "'");
            };
            Instant now = clock.instant();
            Instant to = instant(until, "until").orElse(now);
            Instant from = instant(since, "since").orElse(to.minus(DEFAULT_USAGE_PERIOD));
            checkPeriod(Optional.of(from), Optional.of(to));
            CompletionStage<UsageView> usage = blocking(() -> {
                // Users see the running time of their own instances; admins everyone's.
                List<ActivityRow> events = dao.runningEvents(from, to).stream()
                        .filter(e -> caller.isAdmin() || caller.id().equals(e.ownerId())).toList();
                List<UsageLine> lines = Usage.of(events, grouping, from, to, now).stream()
                        .map(l -> new UsageLine(l.user(), l.app(), l.version(), Math.round(l.hours() * 100) / 100.0,
                                l.seconds(), l.instances()))
                        .toList();
                return new UsageView(grouping.name().toLowerCase(java.util.Locale.ROOT), from, to, lines);
            });
            return onSuccess(usage, u -> json(StatusCodes.OK, u));
        })));
    }

    private <T> CompletionStage<T> blocking(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

    private static void requireSignedIn(Caller caller) {
        if (!caller.signedIn()) {
            throw new ApiException(Problem.of("sign-in-required", "Sign-in required", 401,
                    "sign in to see the activity history", null));
        }
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(Problem.of("forbidden", "Not allowed", 403, detail, null));
    }

    /** An instant ({@code 2026-12-01T08:00:00Z}) or a day ({@code 2026-12-01}, its start in UTC). */
    static Optional<Instant> instant(Optional<String> text, String field) {
        return nonBlank(text).map(value -> {
            try {
                return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw ApiException.badParameter(field, field
                        + " must be an ISO-8601 instant (2026-12-01T08:00:00Z) or a day (2026-12-01), not '" + value + "'");
            }
        });
    }

    private static void checkPeriod(Optional<Instant> since, Optional<Instant> until) {
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            throw ApiException.badParameter("until", "until must be after since");
        }
    }

    private static String nextPage(Uri uri, int offset) {
        return uri.path() + "?" + uri.query().withParam("offset", Integer.toString(offset)).render(HttpCharsets.UTF_8);
    }
}
