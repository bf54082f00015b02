package io.wavestore.launcher;

/**
 * Where waved listens, as waved's {@code -listen} takes it: {@code host:port}, {@code :port} (every interface),
 * or {@code [ipv6]:port}. The launcher also needs to reach it itself, so {@link #probeHost()} turns a wildcard
 * into loopback.
 */
record ListenAddress(String host, int port) {

    static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must be host:port or :port (e.g. :10101 or 127.0.0.1:10101), not '"
                    + text + "'");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has no port number in '" + text + "'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port
                    + " (the launcher must know the port to check that waved answers)");
        }
        if (host.startsWith("[") != host.endsWith("]") || host.indexOf(':') >= 0 && !host.startsWith("[")) {
            throw new IllegalArgumentException("write an IPv6 host in brackets, e.g. [::1]:10101, not '" + text + "'");
        }
        if (host.chars().anyMatch(Character::isWhitespace) || host.indexOf('/') >= 0) {
            throw new IllegalArgumentException("has an invalid host in '" + text + "'");
        }
        return new ListenAddress(host, port);
    }

    /** The host the launcher connects to: loopback when waved listens on every interface. */
    String probeHost() {
        return switch (host) {
            case "", "0.0.0.0", "[::]", "localhost" -> "127.0.0.1";
            default -> host;
        };
    }

    /** As waved's {@code -listen} wants it. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
