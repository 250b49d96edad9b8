package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.registry.BackwardCompatibility;
import dev.sluice.schemas.registry.IncompatibleSchemaException;
import dev.sluice.schemas.registry.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The BACKWARD rule as the in-process registry and the gate apply it. */
class BackwardCompatibilityTest {
    private final Schema v0 = Evolutions.itemIdV0();

    @Test
    void shouldNameTheNewFieldWithoutDefault() {
        assertThat(BackwardCompatibility.violations(Evolutions.withRequiredField(v0, "origin"), v0))
                .singleElement().hasToString("field 'origin': new field without a default (records written before it do not have it)");
    }

    @Test
    void shouldNameTheFieldWhoseTypeChanged() {
        assertThat(BackwardCompatibility.violations(Evolutions.withIdAsString(), v0)).singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("id")).satisfies(v -> assertThat(v.rule()).isEqualTo("type mismatch"));
    }

    @Test
    void shouldNameANewFieldWithoutDefaultInsideAnArrayOfRecordsByItsPath() {
        Schema comment = SchemaBuilder.record("Comment").fields().requiredLong("id").endRecord();
        Schema before = SchemaBuilder.record("Thread").fields().name("comments").type().array()
                .items(comment).noDefault().endRecord();
        Schema after = SchemaBuilder.record("Thread").fields().name("comments").type().array()
                .items(Evolutions.withRequiredField(comment, "lang")).noDefault().endRecord();
        assertThat(BackwardCompatibility.violations(after, before)).singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("comments.lang"))
                .satisfies(v -> assertThat(v.rule()).isEqualTo("new field without a default"));
    }

    @Test
    void shouldAllowANewOptionalFieldWithDefault() {
        assertThat(BackwardCompatibility.violations(Evolutions.withOptionalField(v0, "note"), v0)).isEmpty();
    }

    @Test
    void shouldHaveTheInMemoryRegistryRefuseABreakingChange() {
        InMemorySchemaRegistry r = new InMemorySchemaRegistry();
        r.register("s-value", v0);
        assertThatThrownBy(() -> r.register("s-value", Evolutions.withRequiredField(v0, "origin")))
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("s-value").hasMessageContaining("origin");
        assertThat(r.register("s-value", Evolutions.withOptionalField(v0, "note"))).isEqualTo(2);
    }
}
