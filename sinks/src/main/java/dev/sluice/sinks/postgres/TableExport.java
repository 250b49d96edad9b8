package dev.sluice.sinks.postgres;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Prints stored rows as JSON lines, one row a line, in key order. {@code hn_items} prints each
 * item's JSON as the API served it; {@code summaries} prints each row's columns as a JSON object;
 * {@code documents} prints each document with its pages.
 */
public final class TableExport {
    private static final Map<String, String> QUERIES = Map.of(
            HnItemsWriter.TABLE, "SELECT raw::text FROM hn_items ORDER BY id",
            SummariesWriter.TABLE, "SELECT row_to_json(s)::text FROM (SELECT subject_kind, subject_id, version, text, model,"
                    + " prompt_version, tokens_in, tokens_out, latency_ms, cached, created_at FROM summaries"
                    + " ORDER BY subject_kind, subject_id, version) s",
            DocumentsWriter.TABLE, "SELECT doc::text FROM documents ORDER BY doc_id");

    private TableExport() {
    }

    /** Tables that can be exported. */
    public static java.util.Set<String> tables() {
        return new java.util.TreeSet<>(QUERIES.keySet());
    }

    /** Writes every row of {@code table} to {@code out}; returns the number of rows. */
    public static long export(String jdbcUrl, String table, PrintStream out) throws SQLException {
        String sql = QUERIES.get(table);
        if (sql == null) {
            throw new IllegalArgumentException("unknown table '" + table + "'; exportable: " + tables());
        }
        long n = 0;
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        out.println(rs.getString(1));
                        n++;
                    }
                }
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) {
                    return 0;
                }
                throw e;
            }
        }
        out.flush();
        return n;
    }
}
