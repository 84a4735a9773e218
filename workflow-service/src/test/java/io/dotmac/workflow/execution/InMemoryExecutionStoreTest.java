package io.dotmac.workflow.execution;

import java.util.UUID;

/** {@link ExecutionStoreContract} in memory: the store the engine's rules can be tested on without a database. */
class InMemoryExecutionStoreTest extends ExecutionStoreContract {

    private final InMemoryExecutionStore store = new InMemoryExecutionStore();

    @Override
    ExecutionStore store() {
        return store;
    }

    @Override
    long workflowId() {
        return 1;
    }

    @Override
    void expire(UUID id) {
        store.expire(id);
    }

    @Override
    void received(String topic, String key) {
        store.received(topic, key);
    }
}
