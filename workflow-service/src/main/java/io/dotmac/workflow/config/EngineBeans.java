package io.dotmac.workflow.config;

import io.dotmac.workflow.client.ServiceRegistry;
import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.ExpressionLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The engine's plain-Java parts as beans (JSON keeps decimals exact: platform-common's ExactDecimals). */
public class EngineBeans {

    @Produces
    @ApplicationScoped
    ExpressionEngine expressionEngine(EngineConfig config) {
        EngineConfig.Limits limits = config.limits();
        return new ExpressionEngine(new ExpressionLimits(limits.expressionLength(), limits.expressionTime(),
                (int) Math.min(Integer.MAX_VALUE, limits.expressionString().asLongValue()), limits.regexSize(),
                (int) Math.min(Integer.MAX_VALUE, limits.regexInput().asLongValue())));
    }

    @Produces
    @ApplicationScoped
    DefinitionParser definitionParser(ServiceRegistry registry, ExpressionEngine expressions) {
        return new DefinitionParser(registry, expressions);
    }
}
