package io.wavestore.server;

import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.DevelopmentIdentity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the store's {@link CallerResolver} from configuration, refusing unsafe combinations. */
final class IdentityFactory {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityFactory.class);

    private IdentityFactory() {
    }

    static CallerResolver create(ServerSettings settings) {
        ServerSettings.IdentitySettings identity = settings.identity();
        if (!identity.mode().equals("development")) {
            throw new IllegalArgumentException("wavestore.identity.mode '" + identity.mode()
                    + "' is not supported yet; the only mode is 'development' (OIDC sign-in is being built)");
        }
        if (!isLoopback(settings.httpHost()) && !identity.allowNonLoopback()) {
            throw new IllegalArgumentException("the development identity lets anyone act as anyone, so it only listens on"
                    + " a loopback address; wavestore.http.host is '" + settings.httpHost() + "'. Set"
                    + " WAVESTORE_DEV_IDENTITY_ALLOW_NON_LOOPBACK=true only on a machine nobody else can reach.");
        }
        DevelopmentIdentity resolver = new DevelopmentIdentity(identity.developmentUser(),
                DevelopmentIdentity.parseRole(identity.developmentRole()));
        LOG.warn("""

                ************************************************************************************
                *  DEVELOPMENT IDENTITY: NOT SAFE FOR REAL USE.                                    *
                *  Every request acts as '{}' ({}) unless it names another user in X-Dev-User.
                *  There is no sign-in: anyone who reaches this port is whoever they claim to be.  *
                ************************************************************************************""",
                identity.developmentUser(), identity.developmentRole());
        return resolver;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
