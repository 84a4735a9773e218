package io.dotmac.workflow.bench;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link StatsBench}'s application: a database of its own ({@value #DATABASE}, created if missing),
 * since its million executions are kept between runs and the module's tests share workflow_test;
 * Kafka topics and group of its own, so that no other test's events start workflows in it; and no
 * rollup on a timer, the benchmark rolls up itself.
 */
public class StatsBenchProfile implements QuarkusTestProfile {

    static final String DATABASE = "workflow_bench";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        // Set with and without the profile's prefix: application.properties names both.
        for (String prefix : List.of("", "%test.")) {
            config.put(prefix + "workflow.stats.rollup-every", "24h");
            config.put(prefix + "kafka.group.id", "workflow-service-stats-bench");
            config.put(prefix + "controlplane.kafka.topic-prefix", "bench-stats.");
        }
        config.put("quarkus.log.category.\"io.dotmac\".level", "WARN");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Database.class));
    }

    /** Creates {@value #DATABASE} before the application starts (Flyway migrates it then), and points the datasource at it. */
    public static class Database implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            // The same server and account as platform-common's datasource defaults.
            String server = "//" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/";
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql:" + server + "postgres",
                    env("DB_USER", "controlplane"), env("DB_PASSWORD", "controlplane"));
                 PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rows = exists.executeQuery()) {
                    if (!rows.next()) {
                        connection.createStatement().execute("CREATE DATABASE " + DATABASE);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not create database " + DATABASE, e);
            }
            Map<String, String> config = new HashMap<>();
            for (String prefix : List.of("", "%test.")) {
                config.put(prefix + "quarkus.datasource.jdbc.url", "jdbc:postgresql:" + server + DATABASE);
                config.put(prefix + "quarkus.datasource.reactive.url", "postgresql:" + server + DATABASE);
            }
            return config;
        }

        @Override
        public void stop() {
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
