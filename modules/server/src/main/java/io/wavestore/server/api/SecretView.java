package io.wavestore.server.api;

import io.wavestore.scheduler.secrets.StoredSecret;
import java.util.List;

/** A secret as the API shows it: what it is and which keys it has, never a value. */
public record SecretView(String id, String name, String scope, String owner, String app, List<String> keys, String createdAt,
                         String updatedAt, String url) {

    static SecretView of(StoredSecret s) {
        return new SecretView(s.id(), s.name(), s.scope().name(), s.owner(), s.app().orElse(null), s.keys(),
                s.createdAt().toString(), s.updatedAt().toString(), ApiPaths.secret(s.id()));
    }
}
