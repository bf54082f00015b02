package io.wavestore.server.api;

import io.wavestore.activity.ActivityKind;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.model.Tag;
import io.wavestore.catalog.model.TagSpec;
import io.wavestore.identity.CallerResolver;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /api/v1/tags}: anyone lists tags; admins create, change and delete them. */
public final class TagRoutes extends ApiSupport {

    private final ActivityFacts facts;

    public TagRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity, ObjectMapper mapper,
            Duration askTimeout) {
        super(system, catalog, identity, mapper, askTimeout);
        this.facts = new ActivityFacts(system);
    }

    public Route routes() {
        return pathPrefix("tags", () -> withCaller(caller -> extractRequest(request -> concat(
                pathEnd(() -> concat(
                        get(() -> onSuccess(this.<java.util.List<io.wavestore.catalog.model.Tag>>ask(CatalogActor.ListTags::new),
                                tags -> json(StatusCodes.OK, tags.stream().map(TagView::of).toList()))),
                        post(() -> entity(body(TagBody.class), body -> {
                            if (body.name() == null) {
                                throw ApiException.badParameter("name", "a new tag needs a name");
                            }
                            return onSuccess(this.<Tag>ask(r -> new CatalogActor.CreateTag(body.name(), spec(body), caller, r))
                                            .thenApply(tag -> recorded(ActivityFacts.actor(caller, request),
                                                    ActivityKind.TAG_CREATED, tag)),
                                    tag -> respondWithHeader(Location.create(ApiPaths.tag(tag.name())),
                                            () -> json(StatusCodes.CREATED, TagView.of(tag))));
                        })))),
                path(PathMatchers.segment(), name -> concat(
                        patch(() -> entity(body(TagBody.class), body -> {
                            if (body.name() != null && !body.name().equals(name)) {
                                throw ApiException.badParameter("name", "a tag cannot be renamed; create a new one");
                            }
                            return onSuccess(this.<Tag>ask(r -> new CatalogActor.UpdateTag(name, spec(body), caller, r))
                                            .thenApply(tag -> recorded(ActivityFacts.actor(caller, request),
                                                    ActivityKind.TAG_CHANGED, tag)),
                                    tag -> json(StatusCodes.OK, TagView.of(tag)));
                        })),
                        delete(() -> onSuccess(this.<CatalogActor.Done>ask(r -> new CatalogActor.DeleteTag(name, caller, r)),
                                done -> {
                                    facts.other(ActivityFacts.actor(caller, request), ActivityKind.TAG_DELETED,
                                            new io.wavestore.activity.Subject(io.wavestore.activity.Subject.Type.TAG, name),
                                            Map.of());
                                    return complete(StatusCodes.NO_CONTENT);
                                }))))))));
    }

    private Tag recorded(io.wavestore.activity.Actor actor, ActivityKind kind, Tag tag) {
        facts.other(actor, kind, new io.wavestore.activity.Subject(io.wavestore.activity.Subject.Type.TAG, tag.name()),
                Map.of("visitorRoles", String.join(",", tag.visitorRoles())));
        return tag;
    }

    private static TagSpec spec(TagBody body) {
        return new TagSpec(Optional.ofNullable(body.title()), Optional.ofNullable(body.color()),
                Optional.ofNullable(body.description()),
                Optional.ofNullable(body.visitorRoles()).map(LinkedHashSet::new));
    }
}
