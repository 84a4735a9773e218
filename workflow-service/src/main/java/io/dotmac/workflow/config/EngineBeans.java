package io.dotmac.workflow.config;

import io.dotmac.workflow.client.ServiceRegistry;
import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.expression.ExpressionEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The engine's plain-Java parts as beans (JSON keeps decimals exact: platform-common's ExactDecimals). */
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
}
