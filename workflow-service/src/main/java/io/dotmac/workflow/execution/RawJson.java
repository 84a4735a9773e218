package io.dotmac.workflow.execution;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * JSON as PostgreSQL returned it, written into a response as it is. An execution's context may be a
 * megabyte: reading it into objects only to write them out again would hold an event loop for
 * milliseconds (hundreds on a busy machine), where copying the text takes about one.
 *
 * <p>In the OpenAPI document it is any JSON value (mp.openapi.schema in application.properties), not
 * the record it is in Java.
 */
@JsonSerialize(using = RawJson.Writer.class)
public record RawJson(String json) {

    /** Null for SQL NULL, so that the field is written as JSON null. */
    public static RawJson of(String json) {
        return json == null ? null : new RawJson(json);
    }

    /** Its length in characters; 0 for null. */
    public static long length(RawJson value) {
        return value == null ? 0 : value.json.length();
    }

    public static final class Writer extends StdSerializer<RawJson> {

        public Writer() {
            super(RawJson.class);
        }

        @Override
        public void serialize(RawJson value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeRawValue(value.json());
        }
    }
}
