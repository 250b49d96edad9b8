package dev.sluice.sinks.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** SQLSTATE classes the sink retries (the batch again) against those it dead-letters (the row). */
class PgErrorsTest {

    @ParameterizedTest(name = "SQLSTATE {0} retriable: {1}")
    @CsvSource({
        "08006, true",   // connection failure
        "08001, true",   // cannot connect
        "53100, true",   // disk full
        "57P01, true",   // admin shutdown
        "40001, true",   // serialization failure
        "40P01, true",   // deadlock
        "55P03, true",   // lock not available
        "57014, true",   // statement timeout
        "23505, false",  // unique violation
        "23514, false",  // check violation
        "22001, false",  // string too long
        "22P02, false",  // invalid text representation
        "42P01, false",  // undefined table
    })
    void shouldRetryOnlyWhatMayClear(String state, boolean retriable) {
        assertThat(PgErrors.isRetriable(new SQLException("x", state))).isEqualTo(retriable);
    }

    @Test
    void shouldRetryALostConnectionWithoutSqlState() {
        assertThat(PgErrors.isRetriable(new SQLRecoverableException("gone"))).isTrue();
        assertThat(PgErrors.isRetriable(new SQLException("io", null, new IOException("reset")))).isTrue();
        assertThat(PgErrors.isRetriable(new SQLException("no state"))).isFalse();
    }
}
