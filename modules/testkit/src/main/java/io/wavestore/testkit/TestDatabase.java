package io.wavestore.testkit;

/** A database of its own for one test class: where it is and how to log in. */
public record TestDatabase(String url, String user, String password) {

    /** A new empty database on the {@link PostgresServer#shared() shared} server. */
    public static TestDatabase create() {
        PostgresServer server = PostgresServer.shared();
        return new TestDatabase(server.createDatabase(), server.user(), server.password());
    }
}
