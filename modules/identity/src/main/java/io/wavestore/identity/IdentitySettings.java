package io.wavestore.identity;

import com.typesafe.config.Config;

/**
 * The {@code wavestore.identity} block, typed; its defaults are in this module's reference.conf.
 *
 * @param mode             development or oidc (the server refuses anything else, naming the setting)
 * @param oidc             the raw {@code oidc} block: read in OIDC mode only, where each error names its setting
 */
public record IdentitySettings(String mode, String developmentUser, String developmentRole, boolean allowNonLoopback,
        Config oidc) {

    /** @param root the whole configuration */
    public static IdentitySettings from(Config root) {
        Config c = root.getConfig("wavestore.identity");
        return new IdentitySettings(
                c.getString("mode"),
                c.getString("development.user"),
                c.getString("development.role"),
                c.getBoolean("development.allow-non-loopback"),
                c.getConfig("oidc"));
    }
}
