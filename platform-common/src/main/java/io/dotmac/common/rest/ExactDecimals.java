package io.dotmac.common.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Amounts stay exact wherever JSON is untyped (maps, trees): a decimal is read as a
 * {@code BigDecimal}, never a double, written plain, and keeps its scale. Money passes through such
 * JSON in every service: service answers the engine reads, outbox payloads (Vert.x parses them with
 * a copy of this mapper), stored idempotent responses read back as trees. As doubles, 299.00 would
 * come out as 299.0; with trailing zeros stripped, as 299.
 */
@Singleton
public class ExactDecimals implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }
}
