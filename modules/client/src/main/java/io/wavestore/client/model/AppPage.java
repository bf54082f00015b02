package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One page of a listing of app versions; {@code next} is the URL of the next page, or null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AppPage(List<App> items, int total, int limit, int offset, String next) {

    public AppPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
