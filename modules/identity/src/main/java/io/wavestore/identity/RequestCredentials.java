package io.wavestore.identity;

import java.util.Map;
import java.util.Optional;

/**
 * What a request carries that can say who sent it, independent of the HTTP library.
 *
 * @param headers request headers, names lower-cased
 * @param cookies request cookies by name
 */
public record RequestCredentials(Map<String, String> headers, Map<String, String> cookies) {

    public RequestCredentials {
        headers = Map.copyOf(headers);
        cookies = Map.copyOf(cookies);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(token -> !token.isEmpty());
    }
}
