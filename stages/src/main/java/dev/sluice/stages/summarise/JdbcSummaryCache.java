package dev.sluice.stages.summarise;

import dev.sluice.runtime.Ddl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SummaryCache} in PostgreSQL table {@code llm_cache}, so it survives restarts and is shared
 * by every instance. Writes are idempotent ({@code ON CONFLICT DO NOTHING}). A database error never
 * fails a summary: it is logged and the model is called (paying again is better than stopping).
 */
public final class JdbcSummaryCache implements SummaryCache {
    private static final Logger log = LoggerFactory.getLogger(JdbcSummaryCache.class);
    private final String jdbcUrl;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    public JdbcSummaryCache(String jdbcUrl) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            Ddl.apply(c, "CREATE TABLE IF NOT EXISTS llm_cache (key text PRIMARY KEY, prompt_version text NOT NULL,"
                    + " model text NOT NULL, text text NOT NULL, tokens_in int NOT NULL, tokens_out int NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    @Override
    public Optional<Draft> get(String key) {
        try {
            return withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT text, model, tokens_in, tokens_out FROM llm_cache WHERE key = ?")) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new Draft(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)))
                                : Optional.<Draft>empty();
                    }
                }
            });
        } catch (SQLException e) {
            log.warn("llm_cache lookup failed, calling the model: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String promptVersion, Draft d) {
        try {
            withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO llm_cache (key, prompt_version, model, text,"
                        + " tokens_in, tokens_out) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING")) {
                    ps.setString(1, key);
                    ps.setString(2, promptVersion);
                    ps.setString(3, d.model());
                    ps.setString(4, d.text());
                    ps.setInt(5, d.tokensIn());
                    ps.setInt(6, d.tokensOut());
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            log.warn("llm_cache write failed; a replay may call the model again: {}", e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) throws SQLException {
        Connection c = idle.poll();
        if (c == null || c.isClosed()) {
            c = DriverManager.getConnection(jdbcUrl);
        }
        try {
            T result = work.run(c);
            idle.add(c);
            return result;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Connection c; (c = idle.poll()) != null; ) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
