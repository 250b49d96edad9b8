package dev.sluice.sinks.postgres;

import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.schemas.summaries.Summary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Table {@code summaries}: one row per subject (kind, id) and version, never overwritten: a
 * replayed summary of a version already stored is ignored ({@code ON CONFLICT DO NOTHING}); a new
 * version of a thread is a new row.
 */
public final class SummariesWriter extends AvroRowWriter<Summary> implements StageProvider {
    public static final String TABLE = "summaries";
    private static final String INSERT = "INSERT INTO summaries (subject_kind, subject_id, version, text, model,"
            + " prompt_version, tokens_in, tokens_out, latency_ms, cached, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject_kind, subject_id, version) DO NOTHING";

    private static final String DDL = "CREATE TABLE IF NOT EXISTS summaries (subject_kind text NOT NULL, subject_id text NOT NULL,"
            + " version int NOT NULL, text text NOT NULL, model text NOT NULL, prompt_version text NOT NULL,"
            + " tokens_in int NOT NULL, tokens_out int NOT NULL, latency_ms bigint NOT NULL,"
            + " cached boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL,"
            + " PRIMARY KEY (subject_kind, subject_id, version))";

    /** The sink stage {@code summaries-store}: SummaryTopics.SUMMARIES into PostgreSQL, offsets in the same transaction as the rows. */
    @Override
    public StageDefinition<?, ?, ?, ?> definition() {
        return SinkStages.definition("summaries-store", SummaryTopics.SUMMARIES, SummariesWriter::new, Scaling.DEFAULT.replicas(1, 4));
    }

    public SummariesWriter() {
        super(TABLE, Summary.class, INSERT, DDL);
    }

    @Override
    protected void bind(Connection db, PreparedStatement ps, Summary s) throws SQLException {
        ps.setString(1, s.getSubjectKind());
        ps.setString(2, s.getSubjectId());
        ps.setInt(3, s.getVersion());
        ps.setString(4, s.getText());
        ps.setString(5, s.getModel());
        ps.setString(6, s.getPromptVersion());
        ps.setInt(7, s.getTokensIn());
        ps.setInt(8, s.getTokensOut());
        ps.setLong(9, s.getLatencyMs());
        ps.setBoolean(10, s.getCached());
        ps.setTimestamp(11, Timestamp.from(s.getCreatedAt()));
    }

}
