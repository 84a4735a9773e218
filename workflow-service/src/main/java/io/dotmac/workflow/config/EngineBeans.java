package io.dotmac.workflow.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.workflow.client.ServiceRegistry;
import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The engine's plain-Java parts as beans, and JSON that keeps decimals exact on the wire. */
public class EngineBeans {

    @Produces
    @ApplicationScoped
    ExpressionEngine expressionEngine() {
        return new ExpressionEngine();
    }

    @Produces
    @ApplicationScoped
    DefinitionParser definitionParser(ServiceRegistry registry, ExpressionEngine expressions) {
        return new DefinitionParser(registry, expressions);
    }

    /** Amounts in service answers and requests stay BigDecimal, never a double. */
    @Singleton
    static class ExactDecimals implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
            mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        }
    }
}
