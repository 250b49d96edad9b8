package dev.sluice.schemas.registry;

/** The registry refused a schema under its compatibility rule (HTTP 409); the message names the subject and why. */
public final class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message) {
        super(message);
    }
}
