package io.wavestore.scheduler;

import java.util.regex.Pattern;

/**
 * What an instance id can look like: a DNS label (lower-case letters, digits and inner hyphens, at most 63), since it
 * names a Helm release, a local directory and a host name. Every edge that takes an id from a request checks it here
 * first: anything else is answered "not found" at once, without starting an instance actor for it (which would ask
 * the runtime about a name that cannot exist, and keep asking).
 */
public final class InstanceIds {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private InstanceIds() {
    }

    public static boolean plausible(String id) {
        return id != null && DNS_LABEL.matcher(id).matches();
    }
}
