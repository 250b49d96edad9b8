package dev.sluice.sinks.postgres;

import dev.sluice.blob.BlobGc;
import dev.sluice.blob.BlobStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code store-documents} sink's answer to {@link BlobGc}: a blob is done with once the
 * {@code documents} table has a row whose {@code blob} it is (any status: a timed-out or failed
 * document is stored too). Looks rows up by doc id (the blob's sha256, the primary key), so a
 * question about 500 blobs is one indexed query. Image blobs are never a row's {@code blob}.
 */
public final class StoredDocumentBlobs implements BlobGc.StoredDocuments {
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String QUERY = "SELECT blob FROM " + DocumentsWriter.TABLE + " WHERE doc_id = ANY(?)";

    private final String jdbcUrl;

    public StoredDocumentBlobs(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public Set<String> stored(Collection<String> refs) throws SQLException {
        String[] docIds = refs.stream().map(BlobStore::digestOf).toArray(String[]::new);
        Set<String> asked = Set.copyOf(refs);
        Set<String> stored = new HashSet<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = db.prepareStatement(QUERY)) {
            Array ids = db.createArrayOf("text", docIds);
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (asked.contains(rs.getString(1))) {
                        stored.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return Set.of(); // no document was ever stored
            }
            throw e;
        }
        return stored;
    }
}
