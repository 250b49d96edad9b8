package dev.sluice.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The BACKWARD rule, checked locally with Avro's own schema resolution: a new schema must read every
 * record written with the previous one. Used by the in-process registry of unit tests and by the
 * compatibility gate to name the field and the rule broken next to the registry's own verdict.
 */
public final class BackwardCompatibility {
    private BackwardCompatibility() {
    }

    /** One way {@code candidate} fails to read records written with {@code previous}: a field path and the rule. */
    public record Violation(String field, String rule, String detail) {
        @Override
        public String toString() {
            return "field '" + field + "': " + rule + " (" + detail + ")";
        }
    }

    /** Empty when {@code candidate} can read everything {@code previous} wrote. */
    public static List<Violation> violations(Schema candidate, Schema previous) {
        return SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous).getResult()
                .getIncompatibilities().stream().map(i -> violation(candidate, i)).toList();
    }

    private static Violation violation(Schema reader, Incompatibility i) {
        String field = fieldPath(reader, i.getLocation());
        if (i.getType() == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE) {
            field = field.isEmpty() ? i.getMessage() : field;
            return new Violation(field, "new field without a default", "records written before it do not have it");
        }
        return new Violation(field.isEmpty() ? "(record)" : field, i.getType().name().toLowerCase().replace('_', ' '),
                i.getMessage());
    }

    /** {@code /fields/3/type/fields/0} (or {@code .../type/items/fields/0} in an array) → {@code outer.inner}, read on the reader's schema. */
    static String fieldPath(Schema schema, String location) {
        StringBuilder path = new StringBuilder();
        String[] parts = location.split("/");
        Schema s = schema;
        for (int k = 0; k < parts.length; k++) {
            if ("fields".equals(parts[k]) && k + 1 < parts.length && s.getType() == Schema.Type.RECORD) {
                Schema.Field f = s.getFields().get(Integer.parseInt(parts[++k]));
                path.append(path.length() == 0 ? "" : ".").append(f.name());
                s = f.schema();
            } else if ("type".equals(parts[k]) && s.getType() == Schema.Type.UNION) {
                s = s.getTypes().stream().filter(t -> t.getType() == Schema.Type.RECORD).findFirst().orElse(s);
            } else if ("items".equals(parts[k]) && s.getType() == Schema.Type.ARRAY) {
                s = s.getElementType();
            } else if ("values".equals(parts[k]) && s.getType() == Schema.Type.MAP) {
                s = s.getValueType();
            }
        }
        return path.toString();
    }
}
