package dev.sluice.sinks.postgres;

import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.schemas.hn.HnItem;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * Table {@code hn_items}: the API's fields, {@code id} primary key, the body as served
 * ({@code raw jsonb}) and {@code fetched_at}. Upserts by id; a later fetch of the same item
 * replaces an earlier one, an older one never overwrites a newer.
 */
public final class HnItemsWriter extends AvroRowWriter<HnItem> implements StageProvider {
    public static final String TABLE = "hn_items";
    private static final String UPSERT = "INSERT INTO hn_items (id, deleted, type, \"by\", \"time\", text, dead, parent,"
            + " poll, kids, url, score, title, parts, descendants, raw, fetched_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
            + " ON CONFLICT (id) DO UPDATE SET deleted = EXCLUDED.deleted, type = EXCLUDED.type, \"by\" = EXCLUDED.\"by\","
            + " \"time\" = EXCLUDED.\"time\", text = EXCLUDED.text, dead = EXCLUDED.dead, parent = EXCLUDED.parent,"
            + " poll = EXCLUDED.poll, kids = EXCLUDED.kids, url = EXCLUDED.url, score = EXCLUDED.score,"
            + " title = EXCLUDED.title, parts = EXCLUDED.parts, descendants = EXCLUDED.descendants, raw = EXCLUDED.raw,"
            + " fetched_at = EXCLUDED.fetched_at WHERE hn_items.fetched_at <= EXCLUDED.fetched_at";

    private static final String DDL = "CREATE TABLE IF NOT EXISTS hn_items (id bigint PRIMARY KEY, deleted boolean NOT NULL DEFAULT false,"
            + " type text, \"by\" text, \"time\" bigint, text text, dead boolean NOT NULL DEFAULT false, parent bigint,"
            + " poll bigint, kids bigint[], url text, score int, title text, parts bigint[], descendants int,"
            + " raw jsonb NOT NULL, fetched_at timestamptz NOT NULL)";

    /** The sink stage {@code store}: HnTopics.ITEMS into PostgreSQL, offsets in the same transaction as the rows. */
    @Override
    public StageDefinition<?, ?, ?, ?> definition() {
        return SinkStages.definition("store", HnTopics.ITEMS, HnItemsWriter::new, Scaling.DEFAULT.lagThreshold(5_000).replicas(1, 4));
    }

    public HnItemsWriter() {
        super(TABLE, HnItem.class, UPSERT, DDL, "CREATE INDEX IF NOT EXISTS hn_items_parent ON hn_items (parent)");
    }

    @Override
    protected void bind(Connection db, PreparedStatement ps, HnItem i) throws SQLException {
        ps.setLong(1, i.getId());
        ps.setBoolean(2, i.getDeleted());
        ps.setString(3, i.getType());
        ps.setString(4, i.getBy());
        ps.setObject(5, i.getTime(), Types.BIGINT);
        ps.setString(6, i.getText());
        ps.setBoolean(7, i.getDead());
        ps.setObject(8, i.getParent(), Types.BIGINT);
        ps.setObject(9, i.getPoll(), Types.BIGINT);
        ps.setArray(10, ids(db, i.getKids()));
        ps.setString(11, i.getUrl());
        ps.setObject(12, i.getScore(), Types.INTEGER);
        ps.setString(13, i.getTitle());
        ps.setArray(14, ids(db, i.getParts()));
        ps.setObject(15, i.getDescendants(), Types.INTEGER);
        ps.setString(16, i.getRawJson());
        ps.setTimestamp(17, Timestamp.from(i.getFetchedAt()));
    }

    private static Array ids(Connection db, List<Long> ids) throws SQLException {
        return ids == null ? null : db.createArrayOf("bigint", ids.toArray());
    }
}
