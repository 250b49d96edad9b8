package dev.sluice.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Versions of {@code HnItemId} before and after allowed and breaking changes, shared by the schema tests. */
public final class Evolutions {
    public static final String NAMESPACE = "dev.sluice.schemas.hn";

    private Evolutions() {
    }

    /** HnItemId before {@code source} was added: only the id. */
    public static Schema itemIdV0() {
        return SchemaBuilder.record("HnItemId").namespace(NAMESPACE).fields().requiredLong("id").endRecord();
    }

    /** Allowed: a new optional field with a default. */
    public static Schema withOptionalField(Schema base, String field) {
        return extend(base, new Schema.Field(field, Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "added later", Schema.Field.NULL_DEFAULT_VALUE));
    }

    /** Breaking: a new field without a default. */
    public static Schema withRequiredField(Schema base, String field) {
        return extend(base, new Schema.Field(field, Schema.create(Schema.Type.STRING), "added later, no default"));
    }

    /** Breaking: {@code id} becomes a string. */
    public static Schema withIdAsString() {
        return SchemaBuilder.record("HnItemId").namespace(NAMESPACE).fields().requiredString("id").endRecord();
    }

    /** A record of {@code schema} with {@code id} set (as the field's type wants) and other fields defaulted. */
    public static GenericRecord record(Schema schema, long id) {
        GenericData.Record r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            r.put(f.name(), f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : "x");
        }
        r.put("id", schema.getField("id").schema().getType() == Schema.Type.STRING ? Long.toString(id) : id);
        return r;
    }

    private static Schema extend(Schema base, Schema.Field added) {
        java.util.List<Schema.Field> fields = new java.util.ArrayList<>();
        base.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(added);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
