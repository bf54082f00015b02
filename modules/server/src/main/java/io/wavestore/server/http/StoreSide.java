package io.wavestore.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.router.Router;
import io.wavestore.router.RouterSettings;
import io.wavestore.server.alias.AliasService;
import io.wavestore.server.api.AliasRoutes;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What the store's own host serves when a router runs: the alias API beside the store's routes, both refusing
 * changes from pages of other origins ({@link StoreOriginGuard}); the router puts its own routes around this.
 */
public final class StoreSide {

    private StoreSide() {
    }

    /** @param aliases the alias table's service, the one the router reads too */
    public static Route of(ActorSystem<?> system, Router router, RouterSettings settings, AliasService aliases,
            ObjectMapper mapper, Route store) {
        AliasRoutes api = new AliasRoutes(aliases, router, settings, mapper,
                system.dispatchers().lookup(DispatcherSelector.fromConfig(RouterSettings.BLOCKING_DISPATCHER)));
        return StoreOriginGuard.guard(settings, api.routes().orElse(store));
    }
}
