package io.wavestore.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.router.Router;
import io.wavestore.router.RouterSettings;
import io.wavestore.router.alias.AliasService;
import io.wavestore.server.api.AliasRoutes;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.server.Route;
import org.jdbi.v3.core.Jdbi;

/**
 * What the store's own host serves when a router runs: the alias API beside the store's routes, both refusing
 * changes from pages of other origins ({@link StoreOriginGuard}); the router puts its own routes around this.
 */
public final class StoreSide {

    private StoreSide() {
    }

    /** @param jdbi the store's database (aliases), migrated */
    public static Route of(ActorSystem<?> system, Router router, RouterSettings settings, Jdbi jdbi, ObjectMapper mapper,
            Route store) {
        AliasRoutes aliases = new AliasRoutes(new AliasService(jdbi, Clock.systemUTC()), router, settings, mapper,
                system.dispatchers().lookup(DispatcherSelector.fromConfig(RouterSettings.BLOCKING_DISPATCHER)));
        return StoreOriginGuard.guard(settings, aliases.routes().orElse(store));
    }
}
