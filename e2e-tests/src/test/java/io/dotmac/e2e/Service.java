package io.dotmac.e2e;

/** The six services, by Maven module and database (the suite runs them on {@code <database><suffix>}). */
public enum Service {
    WORKFLOW("workflow-service", "workflow"),
    CRM("crm-service", "crm"),
    SALES("sales-service", "sales"),
    BILLING("billing-service", "billing"),
    LICENSING("licensing-service", "licensing"),
    NOTIFICATION("notification-service", "notification");

    private final String module;
    private final String database;

    Service(String module, String database) {
        this.module = module;
        this.database = database;
    }

    /** The Maven module, which is also the process's name in logs and messages. */
    public String module() {
        return module;
    }

    public String database() {
        return database;
    }
}
