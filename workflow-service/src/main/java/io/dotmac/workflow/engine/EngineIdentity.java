package io.dotmac.workflow.engine;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.util.UUID;

/** This engine instance's name as a lease owner: unique per process, readable in the database. */
@ApplicationScoped
public class EngineIdentity {

    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);

    public String owner() {
        return owner;
    }

    /** A lease token of its own for one execution this instance starts driving. */
    public String newLeaseToken() {
        return owner + ":" + UUID.randomUUID();
    }
}
