package io.dotmac.workflow.repository;

import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.JsonCodec;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Seeds the built-in workflows (resources {@code workflows/*.json}) at start: each version is
 * validated like any definition and stored once, so restarts and several instances are harmless.
 */
@ApplicationScoped
public class BuiltinWorkflows {

    static final List<String> NAMES = List.of("lead_to_customer", "quote_accepted", "payment_received", "subscription_renewed",
            "payment_failed", "subscription_cancelled", "subscription_changed", "shop_checkout");
    private static final Logger LOG = Logger.getLogger(BuiltinWorkflows.class);

    private final WorkflowRepository repository;
    private final DefinitionParser parser;

    BuiltinWorkflows(WorkflowRepository repository, DefinitionParser parser) {
        this.repository = repository;
        this.parser = parser;
    }

    void seed(@Observes StartupEvent event) {
        Multi.createFrom().iterable(NAMES)
                .onItem().transformToUniAndConcatenate(name -> {
                    String json = read(name);
                    WorkflowDefinition definition = parser.parse(JsonCodec.readTree(json));
                    return repository.insertBuiltinIfAbsent(definition, JsonCodec.write(parser.filledIn(definition))).invoke(created -> {
                        if (created) {
                            LOG.infof("seeded built-in workflow %s %s", definition.name(), definition.version());
                        }
                    });
                })
                .collect().asList()
                .await().atMost(Duration.ofSeconds(30));
    }

    private static String read(String name) {
        try (InputStream in = BuiltinWorkflows.class.getResourceAsStream("/workflows/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("built-in workflow " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
