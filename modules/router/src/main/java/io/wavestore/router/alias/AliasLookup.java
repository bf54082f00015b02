package io.wavestore.router.alias;

import java.util.List;

/**
 * The router's port to the aliases: every alias there is, read again whenever one changes. Blocking; the router calls
 * it on its blocking dispatcher. The store wires the alias table's service; tests, a list.
 */
@FunctionalInterface
public interface AliasLookup {
    List<Alias> all();
}
