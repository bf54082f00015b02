package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void thePoolGivingUpIsAnOutageUnderItsWrappers() {
        SQLTransientConnectionException pool = new SQLTransientConnectionException("Connection is not available");
        assertThat(DatabaseOutage.causedBy(pool)).isTrue();
        assertThat(DatabaseOutage.causedBy(new CompletionException(new IllegalStateException("jdbi", pool)))).isTrue();
    }

    @Test
    void connectionErrorsAndAServerGoingOrComingAreOutages() {
        assertThat(DatabaseOutage.causedBy(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("refused", "08001"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("crash of another process", "57P02"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("starting up", "57P03"))).isTrue();
    }

    @Test
    void brokenQueriesAndBugsAreNot() {
        assertThat(DatabaseOutage.causedBy(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("syntax", "42601"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("no state"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new NullPointerException())).isFalse();
    }
}
