package io.wavestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresServerIT {

    @Test
    void sharedServerIsOneServer() {
        assertThat(PostgresServer.shared()).isSameAs(PostgresServer.shared());
    }

    @Test
    void createdDatabasesAreEmptyAndSeparate() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        String first = server.createDatabase();
        String second = server.createDatabase();
        assertThat(first).isNotEqualTo(second).startsWith("jdbc:postgresql://127.0.0.1:");

        try (Connection connection = DriverManager.getConnection(first, server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE things (name text PRIMARY KEY)");
            statement.execute("INSERT INTO things VALUES ('one')");
        }
        try (Connection connection = DriverManager.getConnection(second, server.user(), server.password());
             Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase();
        assertThatThrownBy(() -> DriverManager.getConnection(url, server.user(), "not-the-password").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void privateServerStopsOnClose() throws SQLException {
        String url;
        String user;
        String password;
        try (PostgresServer server = PostgresServer.start()) {
            url = server.createDatabase();
            user = server.user();
            password = server.password();
            assertThat(server.port()).isNotEqualTo(PostgresServer.shared().port());
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, user, password).close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void extensionGivesTheClassOneDatabase(TestDatabase first, TestDatabase second) throws SQLException {
        assertThat(first).isEqualTo(second);
        try (Connection connection = DriverManager.getConnection(first.url(), first.user(), first.password());
             Statement statement = connection.createStatement();
             ResultSet version = statement.executeQuery("SHOW server_version_num")) {
            version.next();
            assertThat(version.getInt(1)).isGreaterThanOrEqualTo(140000);
        }
    }
}
