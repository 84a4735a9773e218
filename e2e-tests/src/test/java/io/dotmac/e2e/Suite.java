package io.dotmac.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.standin.stripe.HostedCheckout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole suite on this machine, once per test JVM: the six services, each its own process from
 * its packaged {@code target/quarkus-app}, on free loopback ports, against the PostgreSQL and Kafka
 * that deploy/local runs (or that DB_* and KAFKA_BOOTSTRAP_SERVERS name), with a real SMTP server
 * (GreenMail) and the Stripe API stub (WireMock, billing-service's mappings) in this JVM.
 *
 * <ul>
 *   <li>Databases: the services' test databases ({@code <name>_test}, which deploy/local creates),
 *       never the local demo's; tests make their own tenant per run and filter by it.</li>
 *   <li>Kafka: the services publish and consume on topics of their own ({@value #TOPIC_PREFIX}*,
 *       KAFKA_TOPIC_PREFIX), never the local demo's or the module tests'; the workflow-service
 *       consumes in a consumer group of its own, committed at the topics' ends before it starts
 *       (see {@link KafkaGroups}), so an earlier run's events start nothing.</li>
 *   <li>Tokens: every service trusts the test-only key of platform-common's test jar (the one
 *       {@link TestTokens} signs with); the workflow-service signs its own service tokens with its
 *       private half. License keys are signed with licensing-service's test-only pair.</li>
 *   <li>A waiting condition is re-checked only every 10 minutes, so a wait that ends within a test
 *       ended because its event woke it.</li>
 * </ul>
 *
 * Each process logs to {@code e2e-tests/target/e2e-logs/<service>.log}. Everything is stopped at the
 * end of the run, on failure too (JUnit's root store, and a JVM shutdown hook as a last resort).
 *
 * <p>System properties (failsafe sets the first two): {@code e2e.project-root}, {@code e2e.output},
 * {@code e2e.database-suffix} (default {@code _test}), {@code e2e.ready-timeout} (seconds, 120),
 * {@code e2e.service-heap} ({@code 256m}), {@code e2e.service-jvm-options} (more options for the six
 * JVMs, space-separated: a profiler, say).
 */
public final class Suite implements AutoCloseable {

    /** The namespace of the suite's topics on the shared broker (platform-common's EventTopics). */
    static final String TOPIC_PREFIX = "e2e.";
    /** What the workflow-service consumes, by event name. */
    static final List<String> WORKFLOW_TOPICS = List.of("crm.quote.accepted", "billing.payment.received",
            "billing.payment.updated", "billing.invoice.paid", "billing.invoice.payment_failed", "billing.subscription.cancelled",
            "sales.cart.checked_out");
    public static final String STRIPE_API_KEY = "sk_test_e2e_stub_not_a_secret";
    public static final String STRIPE_WEBHOOK_SECRET = "whsec_e2e_test_only_not_a_secret";
    /**
     * How long a Checkout page stays open: long enough for a journey whose engine was killed to
     * send its "pay here" email after the restart. A test that needs a page closed unpaid expires it
     * through Stripe's API, as a vendor does ({@link Checkout#expire}), rather than wait for this.
     */
    public static final Duration CHECKOUT_EXPIRY = Duration.ofSeconds(90);
    public static final String TENANT_BASE_DOMAIN = "tenants.e2e.test";
    private static final int PSQL_LINE = 2000;

    // The test JVM's own chatter (Kafka's admin client, WireMock, GreenMail) stays out of the report.
    private static final List<java.util.logging.Logger> QUIET = Stream.of("org.apache.kafka", "org.eclipse.jetty",
            "wiremock", "com.github.tomakehurst", "com.icegreen").map(java.util.logging.Logger::getLogger).toList();

    static {
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
    }

    private static Suite instance;
    private static RuntimeException startFailure;

    private final Path root;
    private final Path output;
    private final Path logs;
    private final Path pids;
    private final String runId;
    private final String databaseSuffix;
    private final Duration readyTimeout;
    private final String heap;
    private final List<String> jvmOptions;
    private final String dbHost;
    private final String dbPort;
    private final String dbUser;
    private final String dbPassword;
    private final String kafka;
    private final String consumerGroup;
    private final String shopTenant;
    private final IdentityProvider identityProvider;
    private boolean pagesAllowed;
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
    private GreenMail smtp;
    private int smtpPort;
    private WireMockServer stripe;
    private HostedCheckout hostedCheckout;
    private Checkout checkout;
    private int stripePort;
    private Instant startedAt;
    private boolean closed;

    private Suite() {
        root = Path.of(System.getProperty("e2e.project-root", defaultRoot())).toAbsolutePath().normalize();
        output = Path.of(System.getProperty("e2e.output", root.resolve("e2e-tests/target").toString())).toAbsolutePath();
        logs = output.resolve("e2e-logs");
        pids = output.resolve("e2e-run");
        runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        databaseSuffix = System.getProperty("e2e.database-suffix", "_test");
        readyTimeout = Duration.ofSeconds(Long.getLong("e2e.ready-timeout", 120));
        heap = System.getProperty("e2e.service-heap", "256m");
        jvmOptions = Stream.of(System.getProperty("e2e.service-jvm-options", "").trim().split("\\s+"))
                .filter(option -> !option.isEmpty()).toList();
        dbHost = env("DB_HOST", "127.0.0.1");
        dbPort = env("DB_PORT", "5432");
        dbUser = env("DB_USER", "controlplane");
        dbPassword = env("DB_PASSWORD", "controlplane");
        kafka = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + env("KAFKA_PORT", "9092"));
        consumerGroup = "workflow-service-e2e-" + runId;
        shopTenant = newTenant("shop");
        identityProvider = new IdentityProvider("http://127.0.0.1:" + env("KEYCLOAK_PORT", "8180"),
                Path.of(env("CONTROLPLANE_STATE", root.resolve(".local").toString())).resolve("secrets"));
    }

    /** The suite of this JVM, started on first use; a start that failed fails every later call the same way. */
    public static synchronized Suite get() {
        if (startFailure != null) {
            throw new IllegalStateException("the e2e suite did not start (see the first failure)", startFailure);
        }
        if (instance == null) {
            Suite suite = new Suite();
            Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "e2e-suite-shutdown"));
            try {
                suite.start();
            } catch (RuntimeException e) {
                suite.close();
                startFailure = e;
                throw e;
            }
            instance = suite;
        }
        return instance;
    }

    private void start() {
        startedAt = Instant.now();
        System.out.println("[e2e] run " + runId + ": project " + root + ", logs in " + logs);
        try {
            Files.createDirectories(logs);
            Files.createDirectories(pids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stopLeftovers();
        for (Service service : Service.values()) {
            Path jar = root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (mvn verify at the"
                        + " project root builds them before this module; or mvn package -DskipTests)");
            }
        }
        requireListening("PostgreSQL", dbHost, Integer.parseInt(dbPort));
        String[] kafkaHostPort = kafka.split(",")[0].trim().split(":");
        requireListening("Kafka", kafkaHostPort[0], Integer.parseInt(kafkaHostPort[1]));
        if (!identityProvider.answers()) {
            throw new IllegalStateException("Keycloak does not serve " + identityProvider.issuer()
                    + " (start it with deploy/local/infra up, or run deploy/local/test)");
        }

        List<Integer> free = freePorts(Service.values().length + 2);
        smtpPort = free.get(0);
        stripePort = free.get(1);
        for (Service service : Service.values()) {
            ports.put(service, free.get(2 + service.ordinal()));
        }
        identityProvider.allowPagesAt(pageOrigins());
        pagesAllowed = true;
        startSmtp();
        startStripe();
        KafkaGroups.startAtEnd(kafka, consumerGroup, WORKFLOW_TOPICS.stream().map(Suite::onBroker).toList());

        for (Service service : Service.values()) {
            services.put(service, process(service, ports.get(service)));
        }
        for (Service service : Service.values()) {
            Path log = services.get(service).log();
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // All at once: on two cores the six start in about the time of the slowest.
        services.values().forEach(ServiceProcess::start);
        ServiceProcess.awaitAllReady(List.copyOf(services.values()), readyTimeout);
        System.out.printf("[e2e] suite up in %d ms: SMTP 127.0.0.1:%d, Stripe stub %s, Kafka group %s, databases *%s%n",
                Duration.between(startedAt, Instant.now()).toMillis(), smtpPort, stripeUrl(), consumerGroup,
                databaseSuffix);
    }

    private ServiceProcess process(Service service, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("DB_HOST", dbHost);
        env.put("DB_PORT", dbPort);
        env.put("DB_USER", dbUser);
        env.put("DB_PASSWORD", dbPassword);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("KAFKA_TOPIC_PREFIX", TOPIC_PREFIX);
        // People's test tokens and the engine's, each verified with its own key (TestTokens).
        env.put("JWT_PUBLIC_KEY", pem(testResource("platform-common", "jwt/test-public.pem")));
        env.put("JWT_ISSUER", TestTokens.ISSUER);
        env.put("JWT_AUDIENCE", TestTokens.AUDIENCE);
        env.put("ENGINE_JWT_PUBLIC_KEY", pem(testResource("platform-common", "jwt/test-engine-public.pem")));
        env.put("ENGINE_JWT_ISSUER", TestTokens.ENGINE_ISSUER);
        env.put("ENGINE_JWT_AUDIENCE", TestTokens.ENGINE_AUDIENCE);
        // People also sign in at deploy/local's Keycloak (the pages, BrowserIT).
        env.put("OIDC_AUTH_SERVER_URL", identityProvider.issuer());
        env.put("OIDC_CLIENT_ID", IdentityProvider.PAGES_CLIENT);
        env.put("OIDC_CLIENT_SECRET", identityProvider.pagesClientSecret());

        Map<String, String> props = new LinkedHashMap<>();
        props.put("controlplane.database", service.database() + databaseSuffix);

        switch (service) {
            case WORKFLOW -> {
                env.put("ENGINE_JWT_PRIVATE_KEY_LOCATION", testResource("platform-common", "jwt/test-engine-private.pem"));
                // quarkus.rest-client.<name>.url of workflow-service's application.properties
                env.put("CRM_SERVICE_URL", urlOf(Service.CRM));
                env.put("SALES_SERVICE_URL", urlOf(Service.SALES));
                env.put("BILLING_SERVICE_URL", urlOf(Service.BILLING));
                env.put("LICENSING_SERVICE_URL", urlOf(Service.LICENSING));
                env.put("NOTIFICATION_SERVICE_URL", urlOf(Service.NOTIFICATION));
                props.put("kafka.group.id", consumerGroup);
                props.put("kafka.auto.offset.reset", "latest");
                // A restarted (killed) instance gets the dead one's partitions after this, not Kafka's 45 s.
                props.put("kafka.session.timeout.ms", "10000");
                props.put("workflow.condition-recheck-initial", "10m");
                props.put("workflow.condition-recheck-max", "10m");
            }
            case SALES -> {
                env.put("CRM_SERVICE_URL", urlOf(Service.CRM));
                env.put("BILLING_SERVICE_URL", urlOf(Service.BILLING));
                env.put("TENANT_BASE_DOMAIN", TENANT_BASE_DOMAIN);
                env.put("SALES_PROVISIONING_FAIL_SERVICES", "");
                // The run's own: a workflow version a test stores for the shop's tenant outlives no run.
                env.put("SHOP_TENANT", shopTenant);
                // The shop over plain HTTP on loopback; every test's requests come from one address,
                // so the per-address limit is sales-service's own test's (ShopRateLimitTest).
                env.put("SHOP_COOKIE_SECURE", "false");
                env.put("SHOP_RATE_LIMIT_REQUESTS", "100000");
                env.put("SHOP_CHECKOUT_RATE_LIMIT", "100000");
                // The reminder of an unpaid checkout links to its order page here.
                env.put("SHOP_PUBLIC_URL", urlOf(Service.SALES));
            }
            case BILLING -> {
                env.put("CRM_SERVICE_URL", urlOf(Service.CRM));
                env.put("STRIPE_SECRET_KEY", STRIPE_API_KEY);
                env.put("STRIPE_API_BASE", stripeUrl());
                // Customers pay on the stand-in's hosted Checkout page (Checkout's payer, or the test),
                // which sends its webhooks here; a page left unpaid closes after this.
                env.put("CHECKOUT_EXPIRY", CHECKOUT_EXPIRY.toSeconds() + "s");
                // Where the page sends a customer who paid: the shop's thank-you page, which sends a
                // shop visitor's browser on to their order.
                env.put("CHECKOUT_SUCCESS_URL", urlOf(Service.SALES) + "/shop/#/paid");
                env.put("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET);
                // Receipts carry a link to billing's own page, where a customer cancels (CancellationIT).
                env.put("BILLING_LINK_SECRET", "e2e-test-only-billing-link-secret-not-a-secret");
                env.put("BILLING_PUBLIC_URL", urlOf(Service.BILLING));
                // A payment whose webhook is lost is asked about within a minute (LostWebhookIT); long
                // enough after the request that the job never races a payment still being taken (the
                // crash test's requests can take seconds), and the others' webhooks come first.
                env.put("BILLING_RECONCILIATION_EVERY", "2s");
                env.put("BILLING_RECONCILIATION_AFTER", "30s");
            }
            case LICENSING -> {
                env.put("CRM_SERVICE_URL", urlOf(Service.CRM));
                env.put("BILLING_SERVICE_URL", urlOf(Service.BILLING));
                env.put("LICENSE_PRIVATE_KEY_LOCATION", testResource("licensing-service", "license-keys/test-private.pem"));
                env.put("LICENSE_PUBLIC_KEY_LOCATION", testResource("licensing-service", "license-keys/test-public.pem"));
                // What RenewalIT expects a key to outlive its period by, whatever the runner's environment says.
                env.put("LICENSE_EXPIRY_GRACE", RenewalIT.EXPIRY_GRACE.toString());
            }
            case NOTIFICATION -> {
                env.put("SALES_SERVICE_URL", urlOf(Service.SALES));
                env.put("BILLING_SERVICE_URL", urlOf(Service.BILLING));
                env.put("SMTP_HOST", "127.0.0.1");
                env.put("SMTP_PORT", Integer.toString(smtpPort));
                env.put("TENANT_BASE_DOMAIN", TENANT_BASE_DOMAIN);
            }
            case CRM -> {
                env.put("CONSOLE_URL", urlOf(Service.WORKFLOW) + "/console/"); // the accepted quote's link
                env.put("SALES_SERVICE_URL", urlOf(Service.SALES)); // organization slugs are reserved there
            }
        }
        // Quick to start on two cores; the full JIT's compilations slowed the journey benchmark down.
        List<String> jvm = Stream.concat(Stream.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                jvmOptions.stream()).toList();
        return new ServiceProcess(service, port, root.resolve(service.module()), logs.resolve(service.module() + ".log"),
                pids.resolve(service.module() + ".pid"), jvm, env, props);
    }

    // The ports are chosen before any process exists, so that each can be told the others' URLs.
    private List<String> pageOrigins() {
        return List.of(urlOf(Service.WORKFLOW), urlOf(Service.CRM));
    }

    private String urlOf(Service service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    private void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    private void startStripe() {
        Path mappings = root.resolve("billing-service/src/test/resources/stripe-stub");
        // The hosted Checkout page's webhooks go to billing-service, signed with its secret.
        hostedCheckout = new HostedCheckout(urlOf(Service.BILLING) + "/api/v1/billing/webhooks/stripe",
                STRIPE_WEBHOOK_SECRET);
        stripe = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(stripePort)
                .usingFilesUnderDirectory(mappings.toString()).extensions(hostedCheckout));
        stripe.start();
        // Stripe's expire, which billing never calls and so its mappings do not route: the tests call
        // it as a vendor expiring a page (Checkout.expire).
        stripe.stubFor(WireMock.post(WireMock.urlPathMatching("/v1/checkout/sessions/[^/]+/expire"))
                .willReturn(WireMock.aResponse().withStatus(500).withTransformers(HostedCheckout.NAME)));
        checkout = Checkout.start(this);
    }

    // -- what tests use

    public ServiceProcess service(Service service) {
        return services.get(service);
    }

    /** {@code http://127.0.0.1:<port>} of a service. */
    public String url(Service service) {
        return services.get(service).url();
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    /** The SMTP server the notification-service sends to; every message of the run is kept. */
    public GreenMail smtp() {
        return smtp;
    }

    /** {@code http://127.0.0.1:<port>}, where billing-service finds the Stripe stub. */
    public String stripeUrl() {
        return "http://127.0.0.1:" + stripePort;
    }

    /** The Stripe API stub billing-service calls. */
    public WireMockServer stripe() {
        return stripe;
    }

    public String runId() {
        return runId;
    }

    /** The Kafka the services use, for tests that read or publish events themselves. */
    public String kafkaBootstrapServers() {
        return kafka;
    }

    /** The broker's topic for the event {@code topic} in this suite. */
    static String onBroker(String topic) {
        return TOPIC_PREFIX + topic;
    }

    /** The workflow-service's consumer group of this run: its committed offsets say what it has processed. */
    public String workflowConsumerGroup() {
        return consumerGroup;
    }

    public Duration readyTimeout() {
        return readyTimeout;
    }

    /**
     * What the {@code psql} client prints for {@code sql} on a service's database, as an operator
     * would run it (deploy/local installs the client with PostgreSQL); fails naming psql's own error.
     * Unaligned ({@code -A}): aligned, every row is padded to the widest value in its column, and
     * the test database holds contexts of a megabyte. Each line is cut at {@value #PSQL_LINE} characters.
     */
    public String psql(Service service, String sql) {
        try {
            // To a file, so that a psql that hangs is given up on after its time rather than read forever.
            Path out = Files.createTempFile(output, "psql-", ".txt");
            ProcessBuilder command = new ProcessBuilder("psql", "-A", "-h", dbHost, "-p", dbPort, "-U", dbUser,
                    "-d", service.database() + databaseSuffix, "-v", "ON_ERROR_STOP=1", "-c", sql)
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            command.environment().put("PGPASSWORD", dbPassword);
            Process psql = command.start();
            boolean ended = psql.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                psql.destroyForcibly();
            }
            StringBuilder printed = new StringBuilder();
            try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
                lines.forEach(line -> printed.append(line, 0, Math.min(line.length(), PSQL_LINE)).append('\n'));
            }
            Files.delete(out);
            if (!ended || psql.exitValue() != 0) {
                throw new IllegalStateException("psql -c \"" + sql + "\" " + (ended ? "failed" : "took over 60 s") + ": " + printed);
            }
            return printed.toString();
        } catch (IOException e) {
            throw new IllegalStateException("psql could not be run (deploy/local installs it with PostgreSQL): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while psql ran", e);
        }
    }

    /** The repository's root, for tests that read its files (docs/from-the-guide). */
    public Path root() {
        return root;
    }

    /** Where people sign in (deploy/local's Keycloak). */
    IdentityProvider identityProvider() {
        return identityProvider;
    }

    /** The tenant the shop sells for in this run (sales-service's SHOP_TENANT): its carts, quotes, orders and journeys. */
    public String shopTenant() {
        return shopTenant;
    }

    /** A tenant (the JWT's tenant_id) no other run or test uses. */
    public String newTenant(String purpose) {
        return "e2e-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Where each service logs, for failure messages. */
    public String logPaths() {
        StringBuilder out = new StringBuilder("service logs:");
        services.values().forEach(p -> out.append("\n  ").append(p.service().module()).append(": ").append(p.log())
                .append(p.isAlive() ? "" : " (not running)"));
        return out.toString();
    }

    /** The log paths and the last lines of every service's log. */
    public String diagnostics(int linesPerService) {
        StringBuilder out = new StringBuilder(logPaths());
        for (ServiceProcess p : services.values()) {
            out.append("\n--- last ").append(linesPerService).append(" lines of ").append(p.log()).append('\n')
                    .append(p.tail(linesPerService));
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ServiceProcess p : services.values()) {
            stops.add(CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(15))));
        }
        stops.forEach(CompletableFuture::join);
        if (checkout != null) {
            checkout.close();
        }
        if (stripe != null) {
            stripe.stop();
            hostedCheckout.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (pagesAllowed) {
            try {
                identityProvider.forgetPagesAt(pageOrigins());
            } catch (RuntimeException e) {
                System.out.println("[e2e] could not take the run's redirect URIs out of Keycloak: " + e);
            }
        }
        if (!services.isEmpty()) {
            KafkaGroups.delete(kafka, consumerGroup);
            System.out.printf("[e2e] suite of run %s stopped after %d s; logs in %s%n", runId,
                    Duration.between(startedAt, Instant.now()).toSeconds(), logs);
        }
    }

    // -- helpers

    /** Processes a run that died without its clean-up left behind (their pid files), if they still run the services. */
    private void stopLeftovers() {
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent() && handle.get().info().commandLine().orElse("").contains("quarkus-run.jar")) {
                    System.out.println("[e2e] stopping pid " + pid + ", left running by an earlier run (" + file + ")");
                    handle.get().destroyForcibly();
                }
                Files.deleteIfExists(file);
            }
        } catch (IOException | NumberFormatException e) {
            System.out.println("[e2e] could not clean up earlier runs' processes: " + e);
        }
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }

    private static void requireListening(String what, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3000);
        } catch (IOException e) {
            throw new IllegalStateException(what + " does not answer on " + host + ":" + port
                    + " (start it with deploy/local/infra up, or run deploy/local/test)", e);
        }
    }

    private String testResource(String module, String path) {
        Path file = root.resolve(module).resolve("src/test/resources").resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing test key " + file);
        }
        return file.toString();
    }

    private static String pem(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String defaultRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        return (cwd.endsWith("e2e-tests") ? cwd.getParent() : cwd).toString();
    }
}
