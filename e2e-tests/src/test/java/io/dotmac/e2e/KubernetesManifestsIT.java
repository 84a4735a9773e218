package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes deploy, checked without a cluster or kubectl: the manifests quarkus-kubernetes
 * generated for each service (its {@code target/kubernetes/kubernetes.yml}) have probes on
 * /q/health, resources and their config and secrets; deploy/kubernetes/base holds exactly those;
 * every file a kustomization names is there and parses; and whatever a service reads from its
 * environment, every Secret it names with the keys it reads, and the databases and topics it uses
 * are provided by the deploy; only workflow-service mounts the engine's key pair (the others read
 * its public half), only the services with pages get the identity provider's client secret, and no
 * Deployment names a Secret that deploy/kubernetes/secrets does not make; Kafka takes each service's
 * own login, allowed the topics the service writes and reads and no others; and the network
 * policies, read as Kubernetes reads them, let in the calls the services' REST clients make, the Ingress controller to
 * the public services and Prometheus to their metrics, and nothing else. Behind the Ingress the pages sign people in
 * over https with Secure cookies, and every service believes the controller's forwarded headers (controlplane-config's
 * Quarkus variables, each a property the services' Quarkus knows). Every object of every
 * file a kustomization names (patches too) and of every generated manifest reads as its kind's schema, unknown fields
 * refused (fabric8's Kubernetes model, Strimzi's; {@link ManifestSchemas} says what is checked of the kinds with no
 * Java model); every Deployment runs as its own ServiceAccount without an API token, under Pod Security "restricted"
 * (read-only root filesystem with /tmp an emptyDir), pulls its image Always, and workflow-service's replicas spread over
 * nodes and zones; the Ingress takes each public service's paths, and only those, to its Service over TLS from
 * cert-manager, on the host of its public URL in the overlay's controlplane-config (the component ingress-hosts'
 * replacements, applied here as Kustomize would); and each service has a CPU autoscaler from its replicas up whose maxima fit PostgreSQL's
 * connections. For the operators (deploy/kubernetes/monitoring): the PodMonitor scrapes every service where its
 * Deployment says, the Grafana dashboard parses and its panels, like the alerts, query only metrics the running
 * services export (or a few named ones of Prometheus, kube-state-metrics and the Kafka exporter), and the alerts are
 * complete and the needed ones there. sales-service's Kubernetes provisioner (components/kubernetes-provisioner): every write
 * its ClusterRole grants is seen by a ValidatingAdmissionPolicy that applies to its account, denies and fails closed.
 */
class KubernetesManifestsIT {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ROOT = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("deploy/kubernetes");
    private static final Path SECRETS = DEPLOY.resolve("secrets");
    private static final Path COMMON_CONFIG = ROOT.resolve("platform-common/src/main/resources/META-INF/microprofile-config.properties");
    private static final String CONFIG_MAP = "controlplane-config";
    /**
     * The label of the Ingress controller's namespace, which base/network-policies.yml lets in to the public services:
     * the operator puts it there (docs/kubernetes.md).
     */
    private static final String INGRESS_CONTROLLER_LABEL = "controlplane.dotmac.io/ingress-controller";
    /** What every service needs behind the Ingress's controller, which ends TLS: its X-Forwarded-* headers believed. */
    private static final List<String> BEHIND_THE_PROXY = List.of("quarkus.http.proxy.proxy-address-forwarding",
            "quarkus.http.proxy.allow-x-forwarded", "quarkus.http.proxy.enable-forwarded-host");
    /** Whose X-Forwarded-* headers are believed. */
    private static final String TRUSTED_PROXIES = "quarkus.http.proxy.trusted-proxies";
    /** What an OIDC tenant that signs people in needs behind it, under quarkus.oidc.<tenant>: https redirects, Secure cookies. */
    private static final List<String> SIGN_IN_OVER_HTTPS = List.of("authentication.force-redirect-https-scheme",
            "authentication.cookie-force-secure");
    /** A Quarkus extension's configuration model, in its runtime jar. */
    private static final String CONFIG_MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    /** The properties each packaged service's Quarkus knows, read once. */
    private static final Map<Service, List<KnownProperty>> KNOWN_PROPERTIES = new ConcurrentHashMap<>();
    /** The workflow engine's key pair: private.pem signs its service tokens, public.pem (a Secret of its own) verifies them. */
    private static final String ENGINE_JWT = "controlplane-engine-jwt";
    private static final String ENGINE_JWT_PUBLIC = "controlplane-engine-jwt-public";
    /** The Secret of people's public key, mounted by every service before they came from the identity provider. */
    private static final String OLD_JWT = "controlplane-jwt";
    /** A variable a service reads: {@code ${NAME}} or {@code ${NAME:default}} in its configuration. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    /** A variable that base/config.env names in a comment: it is left to its default on purpose. */
    private static final Pattern DEFAULTED = Pattern.compile("^#\\s*([A-Z][A-Z0-9_]*)=", Pattern.MULTILINE);
    /** An event put in the outbox, whose relay publishes it to the topic named first: a literal or a constant. */
    private static final Pattern OUTBOX_EVENT = Pattern.compile("OutboxEvent\\.of\\(\\s*(?:\"([^\"]+)\"|([A-Za-z_][A-Za-z0-9_]*)\\s*,)");
    /** The variable a setting is read from: {@code ${NAME}} or {@code ${NAME:default}}. */
    private static final Pattern FROM_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    /** Kafka's operations that a KafkaUser's ACLs may grant a service; Describe goes with Read or Write. */
    private static final Set<String> CLIENT_OPERATIONS = Set.of("Read", "Write", "Describe");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MONITORING = DEPLOY.resolve("monitoring");
    /** The Kustomize component that sets the Ingress's hosts from controlplane-config's public URLs. */
    private static final Path INGRESS_HOSTS = DEPLOY.resolve("components/ingress-hosts");
    /** The opt-in component of sales-service's Kubernetes provisioner: its ClusterRole and the admission policy that fences it. */
    private static final Path PROVISIONER = DEPLOY.resolve("components/kubernetes-provisioner");
    /** The ServiceAccount the provisioner calls the Kubernetes API as. */
    private static final String PROVISIONER_ACCOUNT = "sales-service";
    /** The label the provisioner puts on the namespaces it makes (sales-service's TenantManifests), and its value. */
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String PROVISIONER_LABEL = "controlplane-sales";
    /** The PodMonitor of the six services. */
    private static final String SERVICES_MONITOR = "controlplane-services";
    /**
     * The metrics of others that the dashboard and the rules may query, beside the services' own, by name: Prometheus's
     * own {@code up}; kube-state-metrics' (kube_*: a Deployment's wanted and ready pods); and the Kafka exporter's
     * (kafka_*, Strimzi's kafkaExporter or kafka_exporter: topics' offsets for the DLQ depth, which no consumer's lag
     * shows, and the consumer group's lag, which it reports even while the group's pods are down). Nothing else: the
     * services' own Kafka clients export kafka_consumer_* and kafka_producer_* too, checked as the services' metrics.
     */
    private static final Set<String> EXTERNAL_METRICS = Set.of("up",
            "kube_deployment_spec_replicas", "kube_deployment_status_replicas_available",
            "kafka_topic_partition_current_offset", "kafka_topic_partition_oldest_offset", "kafka_consumergroup_lag");
    /** What the dashboard shows, by a metric of each: health, requests, the engine, steps, waits, events, outbox, DLQ, funnel. */
    private static final Set<String> DASHBOARD_SHOWS = Set.of("up", "kube_deployment_status_replicas_available",
            "http_server_requests_seconds_count", "workflow_executions_started_total", "workflow_executions_finished_seconds_count",
            "workflow_step_duration_seconds_bucket", "workflow_step_retries_total", "workflow_executions_waiting",
            "workflow_event_lag_seconds_bucket", "controlplane_outbox_backlog", "kafka_topic_partition_current_offset",
            "controlplane_funnel_total");
    /** The alerts operators need (issue 20), each with the metric that measures its trouble. */
    private static final Map<String, String> ALERTS = Map.of(
            "WorkflowFailureRateHigh", "workflow_executions_finished_seconds_count",
            "WorkflowWaitsPastDeadline", "workflow_step_duration_seconds_count",
            "DeadLetterTopicNotEmpty", "kafka_topic_partition_current_offset",
            "OutboxBacklogGrowing", "controlplane_outbox_backlog",
            "EventLagHigh", "workflow_event_lag_seconds_bucket",
            "ServiceNotReady", "kube_deployment_status_replicas_available");
    /** A sample line of Prometheus's text format: the series name. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
    /** An identifier of PromQL not followed by a parenthesis (a function's). */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
    private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    /** A Micrometer meter built in code: its type and name. */
    private static final Pattern METER_BUILDER = Pattern.compile("\\b(Counter|FunctionCounter|Timer|Gauge|TimeGauge|DistributionSummary)\\.builder\\(\\s*\"([^\"]+)\"");
    /**
     * The paths of each public service: its pages (META-INF/resources), the APIs they call, the pages' shared files
     * and sign-in (platform-common's /_pages and /_session), and the public endpoints (@PermitAll) of billing and
     * licensing. Nothing else of theirs is public.
     */
    private static final Map<Service, PublicEntry> PUBLIC = new EnumMap<>(Map.of(
            Service.WORKFLOW, new PublicEntry("CONSOLE_URL", List.of("/console", "/api/v1/workflows", "/_session", "/_pages", "/webjars")),
            Service.CRM, new PublicEntry("CRM_PUBLIC_URL", List.of("/crm", "/api/v1/crm", "/_session", "/_pages")),
            Service.SALES, new PublicEntry("SHOP_PUBLIC_URL", List.of("/shop", "/api/v1/shop", "/_pages")),
            Service.BILLING, new PublicEntry("BILLING_PUBLIC_URL", List.of("/api/v1/billing/webhooks/stripe", "/billing/cancel", "/_pages")),
            Service.LICENSING, new PublicEntry("LICENSING_PUBLIC_URL", List.of("/api/v1/licenses/verify", "/api/v1/licenses/public-key"))));

    @ParameterizedTest
    @EnumSource(Service.class)
    void generatedManifestsHaveProbesResourcesConfigAndSecrets(Service service) {
        List<JsonNode> manifests = documents(generated(service));
        JsonNode deployment = one(manifests, "Deployment", service.module());
        JsonNode container = container(deployment);
        JsonNode port = httpPort(container);
        JsonNode kubeService = one(manifests, "Service", service.module());

        assertAll(service.module(),
                () -> assertProbe(container, "livenessProbe", "/q/health/live", port),
                () -> assertProbe(container, "readinessProbe", "/q/health/ready", port),
                () -> {
                    for (String bound : List.of("requests", "limits")) {
                        for (String resource : List.of("cpu", "memory")) {
                            assertFalse(container.at("/resources/" + bound + "/" + resource).asText().isEmpty(),
                                    "resources." + bound + "." + resource);
                        }
                    }
                },
                () -> assertTrue(envFromNames(container, "configMapRef").contains(CONFIG_MAP), "envFrom " + CONFIG_MAP),
                () -> assertEquals(Map.of("DB_USER", "controlplane-db/username", "DB_PASSWORD", "controlplane-db/password",
                        "ENGINE_JWT_PUBLIC_KEY", ENGINE_JWT_PUBLIC + "/public.pem"), secretKeyRefs(container)),
                () -> assertEquals(deployment.at("/spec/selector/matchLabels"), kubeService.at("/spec/selector"),
                        "the Service selects the Deployment's pods"),
                () -> assertEquals(port, kubeService.at("/spec/ports/0/targetPort"), "the Service's target port"),
                () -> {
                    int replicas = deployment.at("/spec/replicas").asInt();
                    // The engine claims executions with leases, so it runs as more than one instance.
                    assertTrue(service == Service.WORKFLOW ? replicas > 1 : replicas >= 1, "replicas: " + replicas);
                });
    }

    /** The same objects, compared parsed: the order of a map's keys (labels) differs from build to build. */
    @ParameterizedTest
    @EnumSource(Service.class)
    void theCommittedCopyIsWhatTheBuildGenerates(Service service) {
        assertEquals(byKindAndName(documents(generated(service))),
                byKindAndName(documents(DEPLOY.resolve("base/services/" + service.module() + ".yml"))),
                "deploy/kubernetes/base/services/" + service.module() + ".yml is stale: run deploy/kubernetes/generate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "in-cluster", "external", "secrets", "monitoring", "kind", "components/kubernetes-provisioner"})
    void everyFileAKustomizationNamesIsThereAndParses(String name) throws IOException {
        Path dir = DEPLOY.resolve(name);
        JsonNode kustomization = kustomization(dir);
        List<String> checked = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                assertTrue(Files.isRegularFile(path.resolve("kustomization.yaml")), path + " has no kustomization.yaml");
            } else {
                for (JsonNode object : documents(path)) {
                    for (String field : List.of("/apiVersion", "/kind", "/metadata/name")) {
                        assertFalse(object.at(field).asText().isEmpty(), path + ": an object without " + field);
                    }
                    // What the API server takes as a name (RFC 1123: no underscore, no capital).
                    assertTrue(object.at("/metadata/name").asText().matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"),
                            path + ": " + object.at("/metadata/name").asText() + " is no Kubernetes object name");
                }
            }
            checked.add(resource.asText());
        }
        for (JsonNode component : kustomization.path("components")) {
            Path path = dir.resolve(component.asText()).normalize();
            assertTrue(Files.isRegularFile(path.resolve("kustomization.yaml")), path + " has no kustomization.yaml");
            assertEquals("Component", kustomization(path).path("kind").asText(), path + ": a component's kind");
        }
        for (JsonNode generator : generators(kustomization)) {
            for (JsonNode env : generator.path("envs")) {
                Path path = dir.resolve(env.asText());
                // Secret values are not committed (deploy/kubernetes/secrets/.gitignore): their template is.
                assertTrue(Files.isRegularFile(path) || Files.isRegularFile(Path.of(path + ".example")),
                        path + " and its .example are missing");
                checked.add(env.asText());
            }
            for (JsonNode file : generator.path("files")) {
                String source = file.asText().substring(file.asText().indexOf('=') + 1);
                assertTrue(Files.isRegularFile(dir.resolve(source)) || Files.readString(SECRETS.resolve("init")).contains(source),
                        dir.resolve(source) + " is missing and secrets/init does not write it");
                checked.add(source);
            }
        }
        assertFalse(checked.isEmpty(), name + "/kustomization.yaml names nothing");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void everyVariableTheServiceReadsIsProvided(Service service) throws IOException {
        JsonNode container = container(one(documents(generated(service)), "Deployment", service.module()));
        Set<String> read = variablesRead(service);
        Set<String> fromSecretsAndManifest = new TreeSet<>();
        container.path("env").forEach(env -> fromSecretsAndManifest.add(env.path("name").asText()));
        for (String secret : envFromNames(container, "secretRef")) {
            fromSecretsAndManifest.addAll(secretKeys(secret));
        }
        String baseConfig = Files.readString(DEPLOY.resolve("base/config.env"));
        for (String overlay : List.of("in-cluster", "external", "kind")) {
            Set<String> provided = new TreeSet<>(fromSecretsAndManifest);
            provided.addAll(configMap(overlay).keySet());
            DEFAULTED.matcher(baseConfig).results().forEach(m -> provided.add(m.group(1)));
            Set<String> missing = new TreeSet<>(read);
            missing.removeAll(provided);
            assertEquals(Set.of(), missing, service.module() + " in " + overlay
                    + ": read, but neither set by the deploy nor named in base/config.env");
        }
    }

    /**
     * Behind the Ingress, TLS ends at its controller and the pods get plain HTTP. So the services with pages, which
     * sign people in with the authorization code flow (an OIDC tenant of application-type web-app or hybrid: idp),
     * send the identity provider an https redirect_uri and make their state and session cookies Secure (the tenant's
     * force-redirect-https-scheme and cookie-force-secure); and they, like every service, take the request's scheme,
     * host and client address from the controller's X-Forwarded-* headers (proxy-address-forwarding,
     * allow-x-forwarded, enable-forwarded-host), believed only from the trusted proxies (trusted-proxies: addresses or
     * CIDRs), so that the shop's rate limits count per visitor. All are variables of the overlay's controlplane-config,
     * none in the services' own configuration, whose prod profile deploy/local runs over plain http; and each names a
     * property that the packaged service's Quarkus knows (its extensions' configuration model).
     */
    @ParameterizedTest
    @ValueSource(strings = {"in-cluster", "external", "kind"})
    void thePagesSignPeopleInOverHttpsBehindTheIngress(String overlay) {
        Map<String, String> config = configMap(overlay);
        List<Executable> checks = new ArrayList<>();
        List<Service> withPages = Arrays.stream(Service.values())
                .filter(s -> Boolean.parseBoolean(configuration(s).getOrDefault("controlplane.pages.enabled", "false"))).toList();
        assertFalse(withPages.isEmpty(), "no service has pages (controlplane.pages.enabled)");
        for (Service service : withPages) {
            Map<String, String> settings = configuration(service);
            Set<String> tenants = signInTenants(settings);
            checks.add(() -> assertFalse(tenants.isEmpty(), service.module() + " has pages but no OIDC tenant of the authorization code flow"));
            Map<String, String> wanted = new LinkedHashMap<>();
            BEHIND_THE_PROXY.forEach(property -> wanted.put(property, "true"));
            for (String tenant : tenants) {
                for (String property : SIGN_IN_OVER_HTTPS) {
                    String name = "quarkus.oidc." + tenant + "." + property;
                    wanted.put(name, "true");
                    checks.add(() -> assertFalse(settings.containsKey(name), service.module() + " sets " + name
                            + " itself, but deploy/local runs the prod profile over plain http: set it in " + CONFIG_MAP));
                }
            }
            List<KnownProperty> known = knownProperties(service);
            wanted.forEach((property, value) -> {
                String variable = environmentVariable(property);
                checks.add(() -> assertTrue(known.stream().anyMatch(k -> k.property().matcher(property).matches()),
                        service.module() + ": its Quarkus has no property " + property));
                checks.add(() -> assertEquals(value, config.get(variable), overlay + ": " + variable + " (" + property + ") in " + CONFIG_MAP
                        + ", for " + service.module()));
            });
            String trusted = environmentVariable(TRUSTED_PROXIES);
            checks.add(() -> assertTrue(known.stream().anyMatch(k -> k.property().matcher(TRUSTED_PROXIES).matches()),
                    service.module() + ": its Quarkus has no property " + TRUSTED_PROXIES));
            checks.add(() -> {
                String proxies = config.getOrDefault(trusted, "");
                assertFalse(proxies.isBlank(), overlay + ": " + trusted + " is not set, so every proxy's (any sender's) headers are believed");
                for (String proxy : proxies.split(",")) {
                    assertTrue(isAddressOrCidr(proxy.trim()), overlay + ": " + trusted + ": " + proxy + " is no address or CIDR");
                }
            });
        }
        assertAll(overlay, checks);
    }

    /**
     * Every Quarkus variable of controlplane-config (QUARKUS_*) names a property of a service's Quarkus (its
     * extensions' configuration model, a map key such as an OIDC tenant's name in its place), so a misspelt one,
     * which Quarkus would ignore without a word, fails here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"in-cluster", "external", "kind"})
    void everyQuarkusVariableOfTheConfigurationNamesAPropertyOfTheServices(String overlay) {
        List<KnownProperty> known = Arrays.stream(Service.values()).flatMap(s -> knownProperties(s).stream()).toList();
        Set<String> unknown = configMap(overlay).keySet().stream().filter(v -> v.startsWith("QUARKUS_"))
                .filter(v -> known.stream().noneMatch(k -> k.variable().matcher(v).matches()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), unknown, overlay + ": variables of " + CONFIG_MAP + " that name no property of the services' Quarkus");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void everySecretTheServiceNamesIsMadeWithTheKeysItReads(Service service) throws IOException {
        JsonNode deployment = one(documents(generated(service)), "Deployment", service.module());
        JsonNode container = container(deployment);
        JsonNode pod = deployment.at("/spec/template/spec");
        for (String secret : envFromNames(container, "secretRef")) {
            assertFalse(secretKeys(secret).isEmpty(), secret + " gives no variables");
        }
        for (JsonNode env : container.path("env")) {
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                assertTrue(secretKeys(ref.path("name").asText()).contains(ref.path("key").asText()),
                        env.path("name").asText() + ": " + ref + " is not in secrets/kustomization.yaml");
            }
        }
        // Every key file the service is told of (…_LOCATION) is a key of the Secret mounted at its folder.
        Map<String, String> secretAtPath = new LinkedHashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.path("name").equals(mount.path("name")) && volume.has("secret")) {
                    secretAtPath.put(mount.path("mountPath").asText() + "/", volume.at("/secret/secretName").asText());
                }
            }
        }
        List<String> locations = new ArrayList<>();
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().endsWith("_LOCATION")) {
                String location = env.path("name").asText() + "=" + env.path("value").asText();
                String folder = secretAtPath.keySet().stream().filter(env.path("value").asText()::startsWith).findFirst()
                        .orElseThrow(() -> new AssertionError(location + ": no Secret is mounted there"));
                assertTrue(secretKeys(secretAtPath.get(folder)).contains(env.path("value").asText().substring(folder.length())),
                        location + ": no such key in the Secret " + secretAtPath.get(folder));
                locations.add(location);
            }
        }
        // Each key file the service reads (…_LOCATION in its configuration) is one of those, and each Secret mounted is
        // there for one of them: a Secret mounted for nothing gives the pod keys it has no use for.
        Set<String> told = locations.stream().map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
        Set<String> read = variablesRead(service).stream().filter(v -> v.endsWith("_LOCATION")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(read, told, "the key files the service reads, and those the manifest tells it of");
        secretAtPath.forEach((folder, secret) -> assertTrue(locations.stream().anyMatch(l -> l.substring(l.indexOf('=') + 1).startsWith(folder)),
                "the Secret " + secret + " is mounted at " + folder + ", but no key file the service reads is there"));
        // Tokens are verified with keys given as variables, not files: the engine's (ENGINE_JWT_PUBLIC_KEY) at least.
        assertEquals(ENGINE_JWT_PUBLIC + "/public.pem", secretKeyRefs(container).get("ENGINE_JWT_PUBLIC_KEY"),
                "the service is told of no key to verify the engine's tokens with (ENGINE_JWT_PUBLIC_KEY)");
    }

    /**
     * The workflow engine's key pair, one Secret: every service verifies the engine's tokens with the public half (a
     * variable), and only workflow-service, which signs them, mounts the Secret and so holds the private half.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void onlyWorkflowServiceHoldsTheEnginesPrivateKey(Service service) {
        JsonNode deployment = one(documents(generated(service)), "Deployment", service.module());
        JsonNode container = container(deployment);
        // The volumes of the Secret (a volume that no container mounts still puts the private key on the node), and
        // where the container mounts them.
        List<String> volumes = new ArrayList<>();
        List<String> mounted = new ArrayList<>();
        for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
            if (secretsOf(volume).contains(ENGINE_JWT)) {
                volumes.add(volume.path("name").asText());
                container.path("volumeMounts").forEach(mount -> {
                    if (mount.path("name").equals(volume.path("name"))) {
                        mounted.add(mount.path("mountPath").asText());
                    }
                });
            }
        }
        String privateKeyLocation = StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(variable -> variable.path("name").asText().equals("ENGINE_JWT_PRIVATE_KEY_LOCATION"))
                .map(variable -> variable.path("value").asText()).findFirst().orElse(null);
        assertAll(service.module(),
                () -> assertEquals(ENGINE_JWT_PUBLIC + "/public.pem", secretKeyRefs(container).get("ENGINE_JWT_PUBLIC_KEY"), "ENGINE_JWT_PUBLIC_KEY"),
                () -> secretKeyRefs(container).forEach((name, ref) -> assertFalse(ref.startsWith(ENGINE_JWT + "/"),
                        name + " reads " + ref + ": only the public half, in " + ENGINE_JWT_PUBLIC + ", is for every service")),
                () -> assertFalse(envFromNames(container, "secretRef").contains(ENGINE_JWT), "envFrom " + ENGINE_JWT),
                () -> {
                    if (service == Service.WORKFLOW) {
                        assertEquals(1, volumes.size(), "volumes of " + ENGINE_JWT + ": " + volumes);
                        assertEquals(1, mounted.size(), ENGINE_JWT + " mounted at " + mounted);
                        assertEquals(mounted.get(0) + "/private.pem", privateKeyLocation,
                                "ENGINE_JWT_PRIVATE_KEY_LOCATION, the private half in the mount of " + ENGINE_JWT);
                    } else {
                        assertEquals(List.of(), volumes, "volumes of " + ENGINE_JWT + ", which holds the engine's private key");
                        assertNull(privateKeyLocation, "ENGINE_JWT_PRIVATE_KEY_LOCATION");
                    }
                });
    }

    /**
     * Every Secret the Deployment names (volumes, envFrom, secretKeyRef) is one secrets/kustomization.yaml makes, and
     * none is controlplane-jwt, the key of people's tokens that the services mounted before people came from the
     * identity provider (nor does an overlay's patch name it).
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void everySecretTheDeploymentNamesIsMadeBySecretsAndNoneIsTheOldJwtKey(Service service) {
        JsonNode deployment = one(documents(generated(service)), "Deployment", service.module());
        Set<String> named = secretsOf(deployment);
        Set<String> made = new TreeSet<>();
        kustomization(SECRETS).path("secretGenerator").forEach(generator -> made.add(generator.path("name").asText()));
        assertAll(service.module(),
                () -> assertFalse(named.isEmpty(), "the Deployment names no Secret"),
                () -> assertFalse(named.contains(OLD_JWT), "the Deployment names " + OLD_JWT),
                () -> assertFalse(made.contains(OLD_JWT), "secrets/kustomization.yaml still makes " + OLD_JWT),
                () -> assertTrue(made.containsAll(named), "Secrets " + named + ", secrets/kustomization.yaml makes " + made),
                () -> {
                    for (String overlay : List.of("in-cluster", "external")) {
                        for (JsonNode patch : kustomization(DEPLOY.resolve(overlay)).path("patches")) {
                            for (JsonNode object : documents(DEPLOY.resolve(overlay).resolve(patch.path("path").asText()))) {
                                assertFalse(secretsOf(object).contains(OLD_JWT), overlay + "/" + patch.path("path").asText() + " names " + OLD_JWT);
                            }
                        }
                    }
                });
    }

    /**
     * People's tokens come from the identity provider: each overlay's controlplane-config says where it is (the
     * issuer) and the pages' client, and no key of the operators' own is configured. The pages sign people in there
     * with the confidential client's secret, which the services with pages get from a Secret, and no other service.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void peopleSignInAtTheIdentityProviderAndOnlyThePagesHoldItsClientSecret(Service service) throws IOException {
        JsonNode container = container(one(documents(generated(service)), "Deployment", service.module()));
        boolean pages = Boolean.parseBoolean(configuration(service).getOrDefault("controlplane.pages.enabled", "false"));
        Set<String> clientSecretFrom = new TreeSet<>();
        for (String secret : envFromNames(container, "secretRef")) {
            if (secretKeys(secret).contains("OIDC_CLIENT_SECRET")) {
                clientSecretFrom.add(secret);
            }
        }
        String ref = secretKeyRefs(container).get("OIDC_CLIENT_SECRET");
        if (ref != null) {
            clientSecretFrom.add(ref);
        }
        Set<String> env = new TreeSet<>();
        container.path("env").forEach(variable -> env.add(variable.path("name").asText()));
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(pages, !clientSecretFrom.isEmpty(), (pages ? "a service with pages gets" : "a service without pages gets")
                + " OIDC_CLIENT_SECRET from " + clientSecretFrom));
        checks.add(() -> assertTrue(ref != null || !env.contains("OIDC_CLIENT_SECRET"), "OIDC_CLIENT_SECRET as a plain value"));
        checks.add(() -> assertFalse(env.contains("JWT_PUBLIC_KEY"), "JWT_PUBLIC_KEY: people's tokens come from the identity provider"));
        for (String overlay : List.of("in-cluster", "external")) {
            Map<String, String> config = configMap(overlay);
            checks.add(() -> {
                URI issuer = URI.create(config.getOrDefault("OIDC_AUTH_SERVER_URL", ""));
                assertTrue(issuer.isAbsolute() && List.of("http", "https").contains(issuer.getScheme()) && issuer.getHost() != null,
                        overlay + ": OIDC_AUTH_SERVER_URL, the issuer of people's tokens: " + issuer);
            });
            checks.add(() -> assertFalse(config.getOrDefault("OIDC_CLIENT_ID", "").isEmpty(), overlay + ": OIDC_CLIENT_ID"));
            checks.add(() -> assertFalse(config.containsKey("JWT_PUBLIC_KEY"), overlay + ": JWT_PUBLIC_KEY in " + CONFIG_MAP));
            checks.add(() -> assertFalse(config.containsKey("OIDC_CLIENT_SECRET"), overlay + ": OIDC_CLIENT_SECRET in " + CONFIG_MAP + ", no Secret"));
        }
        assertAll(service.module(), checks);
    }

    @Test
    void theInClusterOverlayMakesTheDatabasesAndTopicsAndPointsAtThem() throws IOException {
        List<JsonNode> objects = objects(DEPLOY.resolve("in-cluster"));
        JsonNode cluster = only(objects, "Cluster");
        String clusterName = cluster.at("/metadata/name").asText();
        String owner = cluster.at("/spec/bootstrap/initdb/owner").asText();
        Set<String> databases = new TreeSet<>(Set.of(cluster.at("/spec/bootstrap/initdb/database").asText()));
        objects.stream().filter(o -> o.path("kind").asText().equals("Database")).forEach(database -> {
            assertEquals(clusterName, database.at("/spec/cluster/name").asText(), database.toString());
            assertEquals(owner, database.at("/spec/owner").asText(), database.toString());
            databases.add(database.at("/spec/name").asText());
        });
        Set<String> needed = Arrays.stream(Service.values()).map(Service::database).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(databases.containsAll(needed), "databases " + databases + ", the services use " + needed);
        assertEquals(owner, envFile(SECRETS.resolve("db.env.example")).get("username"),
                "CloudNativePG makes the owner role from controlplane-db: its username must be the owner");

        JsonNode kafka = only(objects, "Kafka");
        String kafkaName = kafka.at("/metadata/name").asText();
        Set<String> topics = objects.stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                .filter(t -> t.at("/metadata/labels/strimzi.io~1cluster").asText().equals(kafkaName))
                .map(t -> t.at("/spec/topicName").asText(t.at("/metadata/name").asText()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> used = new TreeSet<>();
        for (Service service : Service.values()) {
            for (String line : Files.readAllLines(applicationProperties(service))) {
                if (line.matches("mp\\.messaging\\..*\\.topic=.*")) {
                    used.add(deployedTopic(line.substring(line.indexOf('=') + 1)));
                }
            }
        }
        assertFalse(used.isEmpty(), "no topic found in the services' configuration");
        assertTrue(topics.containsAll(used), "topics " + topics + ", the services use " + used);

        JsonNode plain = StreamSupport.stream(kafka.at("/spec/kafka/listeners").spliterator(), false)
                .filter(l -> !l.path("tls").asBoolean()).findFirst().orElseThrow();
        Map<String, String> config = configMap("in-cluster");
        assertEquals(clusterName + "-rw", config.get("DB_HOST"), "the primary's Service");
        assertEquals(kafkaName + "-kafka-bootstrap:" + plain.path("port").asInt(), config.get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void theInClusterKafkaTakesOnlyClientsThatLogIn() {
        List<JsonNode> objects = objects(DEPLOY.resolve("in-cluster"));
        JsonNode kafka = only(objects, "Kafka");
        Map<String, String> config = configMap("in-cluster");
        JsonNode listener = servicesListener(kafka, config);
        assertAll(
                () -> {
                    for (JsonNode each : kafka.at("/spec/kafka/listeners")) {
                        assertFalse(each.at("/authentication/type").asText().isEmpty(),
                                "listener " + each.path("name").asText() + " takes clients that do not log in");
                    }
                },
                () -> assertEquals("simple", kafka.at("/spec/kafka/authorization/type").asText(),
                        "without authorization every login may do anything"),
                () -> assertTrue(kafka.at("/spec/entityOperator/userOperator").isObject(), "no User Operator makes the KafkaUsers"),
                () -> assertEquals("scram-sha-512", listener.at("/authentication/type").asText(), "the services' listener"),
                () -> assertEquals(listener.path("tls").asBoolean() ? "SASL_SSL" : "SASL_PLAINTEXT", config.get("KAFKA_SECURITY_PROTOCOL")),
                () -> assertEquals("SCRAM-SHA-512", config.get("KAFKA_SASL_MECHANISM")));
    }

    /** Each service that uses Kafka has its own KafkaUser, whose ACLs are what its configuration and code produce and consume. */
    @ParameterizedTest
    @EnumSource(Service.class)
    void eachServiceLogsInToKafkaAsItsOwnUserAllowedItsOwnTopics(Service service) throws IOException {
        List<JsonNode> objects = objects(DEPLOY.resolve("in-cluster"));
        JsonNode kafka = only(objects, "Kafka");
        List<JsonNode> users = objects.stream().filter(o -> o.path("kind").asText().equals("KafkaUser")
                && o.at("/metadata/name").asText().equals(service.module())).toList();
        Messaging messaging = messaging(service);
        JsonNode jaasConfig = overlayEnv("in-cluster", service).getOrDefault("KAFKA_SASL_JAAS_CONFIG", MissingNode.getInstance());
        if (!usesKafka(service)) {
            assertAll(service.module() + " does not use Kafka",
                    () -> assertEquals(new Messaging(Set.of(), Set.of(), Set.of()), messaging),
                    () -> assertEquals(List.of(), users, "a KafkaUser"),
                    () -> assertTrue(jaasConfig.isMissingNode(), "Kafka credentials: " + jaasConfig));
            return;
        }
        JsonNode user = one(objects, "KafkaUser", service.module());
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            assertEquals("allow", acl.path("type").asText("allow"), acl.toString());
            assertEquals("literal", acl.at("/resource/patternType").asText("literal"), "only named resources: " + acl);
            Set<String> operations = allowed.computeIfAbsent(acl.at("/resource/type").asText() + " " + acl.at("/resource/name").asText(),
                    resource -> new TreeSet<>());
            acl.path("operations").forEach(operation -> operations.add(operation.asText()));
        }
        Set<String> topics = new TreeSet<>(messaging.written());
        topics.addAll(messaging.read());
        Set<String> declared = objects.stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                .map(t -> t.at("/spec/topicName").asText(t.at("/metadata/name").asText())).collect(Collectors.toSet());
        assertAll(service.module(),
                () -> assertTrue(declared.containsAll(topics), "topics " + topics + ", topics.yml declares " + declared),
                () -> assertEquals(kafka.at("/metadata/name").asText(), user.at("/metadata/labels/strimzi.io~1cluster").asText(), "its cluster"),
                () -> assertEquals(servicesListener(kafka, configMap("in-cluster")).at("/authentication/type"),
                        user.at("/spec/authentication/type"), "its login"),
                () -> assertEquals("simple", user.at("/spec/authorization/type").asText(), "its authorization"),
                () -> assertEquals(messaging.written(), resources(allowed, "topic", "Write"), "the topics it may write"),
                () -> assertEquals(messaging.read(), resources(allowed, "topic", "Read"), "the topics it may read"),
                () -> assertEquals(messaging.groups(), resources(allowed, "group", "Read"), "the consumer groups it may use"),
                () -> assertTrue(topics.containsAll(resources(allowed, "topic", "Describe")), "Describe beyond its topics: " + allowed),
                () -> allowed.forEach((resource, operations) -> {
                    assertTrue(resource.startsWith("topic ") || resource.startsWith("group "), "a " + resource);
                    assertTrue(CLIENT_OPERATIONS.containsAll(operations), resource + ": " + operations);
                }),
                () -> assertEquals(service.module() + "/sasl.jaas.config",
                        jaasConfig.at("/valueFrom/secretKeyRef/name").asText() + "/" + jaasConfig.at("/valueFrom/secretKeyRef/key").asText(),
                        "KAFKA_SASL_JAAS_CONFIG in the in-cluster Deployment, from the Secret Strimzi makes for its KafkaUser"));
    }

    /**
     * What may connect to the services, by the NetworkPolicies as Kubernetes reads them (a rule without {@code from}
     * admits every source, one without {@code ports} every port): the calls the services' REST clients make, on the
     * port called; the Ingress controller (a pod of a namespace with the label docs/kubernetes.md has the operator put
     * on it) to the services the Ingress routes to, on their port http; Prometheus (a pod so labelled, in any
     * namespace) to every service's metrics port; and nothing else: not on another port, not from another pod of the
     * namespace, not from a pod of another namespace (not even one labelled as a service), nor the controller to a
     * service the Ingress does not route to. cert-manager's ACME solver takes the controller alone, on its port.
     */
    @ParameterizedTest
    @ValueSource(strings = {"in-cluster", "external", "kind"})
    void theNetworkPoliciesLetInTheServicesCallsTheIngressControllerAndPrometheusAndNoOthers(String overlay) throws IOException {
        List<JsonNode> objects = objects(DEPLOY.resolve(overlay));
        List<JsonNode> policies = objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")).toList();
        assertTrue(policies.stream().anyMatch(p -> p.at("/spec/podSelector").isEmpty() && p.at("/spec/ingress").isEmpty()
                        && StreamSupport.stream(p.at("/spec/policyTypes").spliterator(), false).anyMatch(t -> t.asText().equals("Ingress"))),
                "no policy denies ingress to every pod");
        assertTrue(Files.readString(ROOT.resolve("docs/kubernetes.md")).contains(INGRESS_CONTROLLER_LABEL + "=true"),
                "docs/kubernetes.md does not tell the operator to label the Ingress controller's namespace " + INGRESS_CONTROLLER_LABEL + "=true");
        Set<String> routed = new TreeSet<>();
        only(objects, "Ingress").findValues("service").forEach(backend -> routed.add(backend.path("name").asText()));
        Source controller = Source.elsewhere("the Ingress controller", "ingress-nginx", Map.of(INGRESS_CONTROLLER_LABEL, "true"),
                Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Source prometheus = Source.elsewhere("Prometheus", "monitoring", Map.of(), Map.of("app.kubernetes.io/name", "prometheus"));
        List<Source> strangers = List.of(
                Source.inNamespace("another pod of the namespace", Map.of("app.kubernetes.io/name", "debug")),
                Source.inNamespace("an unlabelled pod of the namespace", Map.of()),
                Source.elsewhere("a pod of another namespace", "default", Map.of(), Map.of("app.kubernetes.io/name", "debug")),
                Source.elsewhere("a pod of another namespace labelled as workflow-service", "default", Map.of(), pod(Service.WORKFLOW).labels()),
                Source.elsewhere("a pod of another namespace labelled as the controller", "default", Map.of(),
                        Map.of("app.kubernetes.io/name", "ingress-nginx")));
        List<Executable> checks = new ArrayList<>();
        for (Service callee : Service.values()) {
            Pod to = pod(callee);
            int http = to.ports().get("http");
            int metrics = Integer.parseInt(one(documents(generated(callee)), "Deployment", callee.module())
                    .at("/spec/template/metadata/annotations/prometheus.io~1port").asText());
            Map<Source, Set<Integer>> allowed = new LinkedHashMap<>();
            for (Service caller : Service.values()) {
                Integer called = calls(caller, overlay).get(callee);
                allowed.put(Source.inNamespace(caller.module(), pod(caller).labels()), called == null ? Set.of() : Set.of(called));
            }
            allowed.put(controller, routed.contains(callee.module()) ? Set.of(http) : Set.of());
            allowed.put(prometheus, Set.of(metrics));
            strangers.forEach(stranger -> allowed.put(stranger, Set.of()));
            allowed.forEach((from, ports) -> {
                Set<Integer> tried = new TreeSet<>(to.ports().values());
                tried.addAll(List.of(http, metrics, 5005, 9999));
                for (int port : tried) {
                    boolean admitted = admits(policies, from, to, port);
                    String connection = from.name() + " -> " + callee.module() + ":" + port + ": ";
                    checks.add(() -> assertEquals(ports.contains(port), admitted, connection + (admitted
                            ? "let in, but it is no call a REST client makes, no route of the Ingress, no scrape"
                            : "kept out, but it is " + (from.policiesNamespace() ? "a call a REST client makes" : "what " + from.name() + " must reach"))));
                }
            });
        }
        // cert-manager's ACME HTTP-01 solver, a pod of the namespace that the certificate authority reaches through the controller.
        Pod solver = new Pod(Map.of("acme.cert-manager.io/http01-solver", "true"), Map.of("http", 8089));
        List<Source> notController = new ArrayList<>(strangers);
        notController.add(prometheus);
        Arrays.stream(Service.values()).forEach(service -> notController.add(Source.inNamespace(service.module(), pod(service).labels())));
        checks.add(() -> assertTrue(admits(policies, controller, solver, 8089), "the Ingress controller cannot reach cert-manager's ACME solver"));
        notController.forEach(from -> checks.add(() -> assertFalse(admits(policies, from, solver, 8089), from.name() + " reaches cert-manager's ACME solver")));
        assertAll(overlay, checks);
    }

    @Test
    void theServicesReachTheInClusterDatabaseAndOnlyKafkasUsersItsListener() {
        List<JsonNode> objects = objects(DEPLOY.resolve("in-cluster"));
        List<JsonNode> policies = objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")).toList();
        Map<String, String> config = configMap("in-cluster");
        // CloudNativePG labels the instances' pods with their Cluster's name.
        Pod database = new Pod(Map.of("cnpg.io/cluster", only(objects, "Cluster").at("/metadata/name").asText()), Map.of());
        int databasePort = Integer.parseInt(config.get("DB_PORT"));
        JsonNode peers = servicesListener(only(objects, "Kafka"), config).path("networkPolicyPeers");
        // Strimzi opens a listener without peers to every pod.
        assertFalse(peers.isEmpty(), "the services' Kafka listener has no networkPolicyPeers");
        List<Executable> checks = new ArrayList<>();
        for (Service service : Service.values()) {
            Pod pod = pod(service);
            Source from = Source.inNamespace(service.module(), pod.labels());
            checks.add(() -> assertTrue(admits(policies, from, database, databasePort), service.module() + " cannot reach PostgreSQL"));
            checks.add(() -> assertEquals(usesKafka(service), StreamSupport.stream(peers.spliterator(), false)
                    .anyMatch(peer -> peerSelects(peer, from)), service.module() + " and the Kafka listener"));
        }
        assertAll(checks);
    }

    // --- schemas, pod security, traffic in, autoscaling

    /**
     * Every object of every file that a kustomization under deploy/kubernetes names, as a resource or a patch, and
     * every service's generated manifest, read as its kind's schema ({@link ManifestSchemas}): a misspelt or misplaced
     * field, which the API server would drop or refuse, fails here. A patch is a partial object of its kind, read the
     * same; a JSON patch (a list of operations on paths) is no object, and only its operations' form is checked.
     */
    @Test
    void everyObjectOfTheDeployReadsAsItsKindsSchema() throws IOException {
        Map<String, JsonNode> objects = new TreeMap<>();
        Map<String, JsonNode> patches = new TreeMap<>();
        List<Executable> checks = new ArrayList<>();
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            kustomizations = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        for (Path file : kustomizations) {
            Path dir = file.getParent();
            JsonNode kustomization = kustomization(dir);
            for (JsonNode resource : kustomization.path("resources")) {
                Path path = dir.resolve(resource.asText()).normalize();
                if (Files.isRegularFile(path)) {
                    documents(path).forEach(o -> objects.put(where(path, o), o));
                }
            }
            int inline = 0;
            for (JsonNode patch : kustomization.path("patches")) {
                if (patch.has("path")) {
                    Path path = dir.resolve(patch.path("path").asText()).normalize();
                    documents(path).forEach(o -> patches.put(where(path, o), o));
                } else {
                    String at = DEPLOY.relativize(file) + " patch " + inline++;
                    JsonNode parsed = YAML.readTree(patch.path("patch").asText());
                    if (parsed.isArray()) {
                        checks.add(() -> parsed.forEach(op -> assertTrue(Set.of("add", "remove", "replace", "move", "copy", "test")
                                .contains(op.path("op").asText()) && op.path("path").asText().startsWith("/"), at + ": a JSON patch's operation " + op)));
                    } else {
                        patches.put(at + " " + parsed.path("kind").asText() + " " + parsed.at("/metadata/name").asText(), parsed);
                    }
                }
            }
        }
        for (Service service : Service.values()) {
            documents(generated(service)).forEach(o -> objects.put(where(generated(service), o), o));
        }
        objects.forEach((at, object) -> checks.add(() -> assertEquals(List.of(), ManifestSchemas.problems(object, false), at)));
        patches.forEach((at, patch) -> checks.add(() -> assertEquals(List.of(), ManifestSchemas.problems(patch, true), at + " (a patch)")));
        // Each kind the deploy has, read at least once: a kustomization this test does not read would show here.
        Set<String> kinds = objects.values().stream().map(o -> o.path("kind").asText()).collect(Collectors.toCollection(TreeSet::new));
        checks.add(() -> assertTrue(kinds.containsAll(Set.of("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy",
                "HorizontalPodAutoscaler", "Ingress", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "Database",
                "ObjectStore", "ScheduledBackup", "PodMonitor", "PrometheusRule", "ClusterIssuer", "ClusterRole", "ClusterRoleBinding",
                "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding")), "kinds read: " + kinds));
        assertAll(checks);
    }

    /**
     * Pod Security "restricted", and no API token: every Deployment of base/services runs as a ServiceAccount of its
     * own name that mounts no token (nor does the pod), as non-root (fsGroup 185, the image's group, for the key files),
     * with the RuntimeDefault seccomp profile, no privilege escalation, every capability dropped and a read-only root
     * filesystem, whose /tmp is an emptyDir; no host namespace, port or path. Its image is pulled Always (the images
     * are tagged by commit, and a node must not run another build of the same tag). workflow-service's replicas are
     * spread over nodes and zones.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void everyDeploymentRunsAsItsOwnAccountUnderPodSecurityRestricted(Service service) {
        List<JsonNode> objects = documents(DEPLOY.resolve("base/services/" + service.module() + ".yml"));
        JsonNode deployment = one(objects, "Deployment", service.module());
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode account = one(objects, "ServiceAccount", service.module());
        List<JsonNode> containers = new ArrayList<>();
        pod.path("containers").forEach(containers::add);
        pod.path("initContainers").forEach(containers::add);
        Set<String> emptyDirs = new TreeSet<>();
        List<Executable> checks = new ArrayList<>();
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("emptyDir")) {
                emptyDirs.add(volume.path("name").asText());
            }
            // The volume types "restricted" allows (no hostPath, no other node-bound one).
            checks.add(() -> assertTrue(StreamSupport.stream(Spliterators.spliteratorUnknownSize(volume.fieldNames(), 0), false)
                    .allMatch(f -> Set.of("name", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                            "projected", "secret").contains(f)), "volume " + volume));
        }
        checks.add(() -> assertEquals(service.module(), pod.path("serviceAccountName").asText(), "serviceAccountName"));
        checks.add(() -> assertTrue(account.path("automountServiceAccountToken").isBoolean()
                && !account.path("automountServiceAccountToken").asBoolean(), "the ServiceAccount's automountServiceAccountToken"));
        checks.add(() -> assertTrue(pod.path("automountServiceAccountToken").isBoolean() && !pod.path("automountServiceAccountToken").asBoolean(),
                "the pod's automountServiceAccountToken"));
        checks.add(() -> assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), "runAsNonRoot"));
        checks.add(() -> assertEquals(185, pod.at("/securityContext/fsGroup").asInt(), "fsGroup"));
        checks.add(() -> assertFalse(pod.at("/securityContext/runAsUser").asText().equals("0"), "runAsUser 0"));
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            checks.add(() -> assertFalse(pod.path(host).asBoolean(), host));
        }
        for (JsonNode container : containers) {
            String name = "container " + container.path("name").asText() + ": ";
            JsonNode context = container.path("securityContext");
            String seccomp = context.at("/seccompProfile/type").asText(pod.at("/securityContext/seccompProfile/type").asText());
            checks.add(() -> assertTrue(Set.of("RuntimeDefault", "Localhost").contains(seccomp), name + "seccompProfile " + seccomp));
            checks.add(() -> assertTrue(context.path("allowPrivilegeEscalation").isBoolean() && !context.path("allowPrivilegeEscalation").asBoolean(),
                    name + "allowPrivilegeEscalation"));
            checks.add(() -> assertFalse(context.path("privileged").asBoolean(), name + "privileged"));
            checks.add(() -> assertTrue(StreamSupport.stream(context.at("/capabilities/drop").spliterator(), false).anyMatch(c -> c.asText().equals("ALL")),
                    name + "capabilities.drop " + context.at("/capabilities/drop")));
            checks.add(() -> assertTrue(StreamSupport.stream(context.at("/capabilities/add").spliterator(), false)
                    .allMatch(c -> c.asText().equals("NET_BIND_SERVICE")), name + "capabilities.add " + context.at("/capabilities/add")));
            checks.add(() -> assertTrue(context.path("readOnlyRootFilesystem").asBoolean(), name + "readOnlyRootFilesystem"));
            checks.add(() -> assertFalse(context.path("runAsNonRoot").isBoolean() && !context.path("runAsNonRoot").asBoolean(), name + "runAsNonRoot false"));
            checks.add(() -> assertTrue(StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                    .anyMatch(m -> m.path("mountPath").asText().equals("/tmp") && emptyDirs.contains(m.path("name").asText())
                            && !m.path("readOnly").asBoolean()), name + "no emptyDir at /tmp, the only place the services write"));
            checks.add(() -> assertEquals("Always", container.path("imagePullPolicy").asText(), name + "imagePullPolicy"));
            container.path("ports").forEach(port -> checks.add(() -> assertTrue(port.path("hostPort").isMissingNode(), name + "hostPort " + port)));
        }
        if (service == Service.WORKFLOW) {
            Map<String, String> labels = pod(service).labels();
            Map<String, JsonNode> spread = new TreeMap<>();
            pod.path("topologySpreadConstraints").forEach(c -> spread.put(c.path("topologyKey").asText(), c));
            for (String key : List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone")) {
                checks.add(() -> assertTrue(spread.containsKey(key) && selects(spread.get(key).path("labelSelector"), labels)
                        && spread.get(key).path("maxSkew").asInt() == 1, "the replicas spread by " + key + ": " + spread.get(key)));
            }
        }
        assertAll(service.module(), checks);
    }

    /**
     * The Ingress, as each overlay renders it: each service the public reaches (base/network-policies.yml's
     * public-entry-points) has a host of its own, whose paths go to its Service's port; no other path of theirs, and
     * none of /q, is public. Every host has its certificate (a tls entry with a secretName, from cert-manager's
     * ClusterIssuer of the annotation). The hosts are configuration: the component ingress-hosts, which the overlay
     * lists, copies each (its replacements, applied here as Kustomize would) from the service's public URL in
     * controlplane-config as the overlay makes it (base/config.env with the overlay's and its bases' merges), which is
     * where the service's links and pages say it is; so a URL set in an overlay reaches the Ingress as it reaches the
     * services. base itself replaces nothing: its replacements would read base's ConfigMap, before any overlay's merge.
     */
    @ParameterizedTest
    @ValueSource(strings = {"in-cluster", "external", "kind"})
    void theIngressTakesThePublicPathsOverTlsToHostsFromTheConfiguration(String overlay) {
        List<JsonNode> base = objects(DEPLOY.resolve("base"));
        JsonNode file = only(objects(DEPLOY.resolve(overlay)), "Ingress");
        Map<String, String> config = configMap(overlay);
        Set<String> components = new TreeSet<>();
        kustomization(DEPLOY.resolve(overlay)).path("components")
                .forEach(c -> components.add(DEPLOY.resolve(overlay).resolve(c.asText()).normalize().toString()));
        assertTrue(components.contains(INGRESS_HOSTS.toString()), overlay + "/kustomization.yaml does not list the component "
                + DEPLOY.relativize(INGRESS_HOSTS) + " (its components: " + components + ")");
        assertTrue(kustomization(DEPLOY.resolve("base")).path("replacements").isMissingNode(),
                "base/kustomization.yaml has replacements: they read base's ConfigMap, which an overlay's merge has not reached");
        Set<String> replaced = new TreeSet<>();
        JsonNode ingress = replaced(file, kustomization(INGRESS_HOSTS), config, replaced);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertFalse(ingress.at("/metadata/annotations/cert-manager.io~1cluster-issuer").asText().isEmpty(),
                "the annotation cert-manager.io/cluster-issuer"));
        Set<String> tlsHosts = new TreeSet<>();
        for (int i = 0; i < ingress.at("/spec/tls").size(); i++) {
            JsonNode tls = ingress.at("/spec/tls/" + i);
            checks.add(() -> assertFalse(tls.path("secretName").asText().isEmpty(), "tls " + tls + ": its secretName"));
            for (int h = 0; h < tls.path("hosts").size(); h++) {
                tlsHosts.add(tls.path("hosts").get(h).asText());
                String field = "spec.tls." + i + ".hosts." + h;
                checks.add(() -> assertTrue(replaced.contains(field), field + " is not set from " + CONFIG_MAP));
            }
        }
        // Where each service's routes go, by host: path -> Service and port.
        Map<String, Map<String, String>> routes = new TreeMap<>();
        for (int i = 0; i < ingress.at("/spec/rules").size(); i++) {
            JsonNode rule = ingress.at("/spec/rules/" + i);
            String field = "spec.rules." + i + ".host";
            checks.add(() -> assertTrue(replaced.contains(field), field + " is not set from " + CONFIG_MAP));
            checks.add(() -> assertTrue(tlsHosts.contains(rule.path("host").asText()), rule.path("host").asText() + " has no certificate (tls)"));
            for (JsonNode path : rule.at("/http/paths")) {
                String to = path.at("/backend/service/name").asText() + ":" + path.at("/backend/service/port/name").asText(path.at("/backend/service/port/number").asText());
                routes.computeIfAbsent(rule.path("host").asText(), host -> new TreeMap<>()).put(path.path("path").asText(), to);
                checks.add(() -> assertFalse(path.path("path").asText().equals("/") || path.path("path").asText().startsWith("/q"),
                        "a public path that opens all of a service, or its health and metrics: " + path));
                checks.add(() -> assertTrue(Set.of("Prefix", "Exact").contains(path.path("pathType").asText()), "pathType of " + path));
            }
        }
        Set<String> publicServices = new TreeSet<>();
        one(base, "NetworkPolicy", "public-entry-points").at("/spec/podSelector/matchExpressions/0/values").forEach(v -> publicServices.add(v.asText()));
        Set<String> routed = routes.values().stream().flatMap(r -> r.values().stream()).map(to -> to.substring(0, to.indexOf(':')))
                .collect(Collectors.toCollection(TreeSet::new));
        checks.add(() -> assertEquals(publicServices, routed, "the Ingress's Services, and the public-entry-points policy's"));
        PUBLIC.forEach((service, entry) -> {
            URI url = URI.create(config.getOrDefault(entry.urlKey(), ""));
            String host = url.getHost();
            checks.add(() -> assertTrue("https".equals(url.getScheme()) && host != null && url.getPort() < 0,
                    entry.urlKey() + " in " + overlay + "'s " + CONFIG_MAP + ", https://<host>/..., no port: " + url));
            Map<String, String> hostRoutes = routes.getOrDefault(host, Map.of());
            for (String path : entry.paths()) {
                checks.add(() -> {
                    String to = hostRoutes.get(path);
                    assertNotNull(to, service.module() + ": " + path + " is not routed on " + host + " (" + entry.urlKey() + "): " + routes);
                    JsonNode port = StreamSupport.stream(one(documents(generated(service)), "Service", service.module()).at("/spec/ports").spliterator(), false)
                            .filter(p -> p.path("name").asText().equals(to.substring(to.indexOf(':') + 1))
                                    || p.path("port").asText().equals(to.substring(to.indexOf(':') + 1))).findFirst().orElse(null);
                    assertEquals(service.module(), to.substring(0, to.indexOf(':')), host + path + " goes to " + to);
                    assertNotNull(port, host + path + ": the Service " + service.module() + " has no port " + to);
                });
            }
            // Only those: a host is one service's, with the paths listed.
            checks.add(() -> assertEquals(new TreeSet<>(entry.paths()), hostRoutes.keySet(), host + "'s paths"));
            // The page a URL names is among them (the console's /console/, the CRM's /crm/).
            String page = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
            checks.add(() -> assertTrue(page.isEmpty() || hostRoutes.keySet().stream().anyMatch(page::startsWith), entry.urlKey() + " is not routed"));
        });
        assertAll(overlay, checks);
    }

    /**
     * A HorizontalPodAutoscaler for each service (each keeps its state in PostgreSQL), on CPU, from the Deployment's
     * replicas up; and at every service's maximum, their connection pools (and Flyway's one at start) fit in
     * in-cluster's PostgreSQL max_connections, beside the superuser's reserved three.
     */
    @Test
    void everyServiceScalesOnCpuFromItsReplicasWithinTheDatabasesConnections() {
        List<JsonNode> base = objects(DEPLOY.resolve("base"));
        List<JsonNode> autoscalers = base.stream().filter(o -> o.path("kind").asText().equals("HorizontalPodAutoscaler")).toList();
        List<Executable> checks = new ArrayList<>();
        int connections = 0;
        for (Service service : Service.values()) {
            List<JsonNode> found = autoscalers.stream().filter(a -> a.at("/spec/scaleTargetRef/name").asText().equals(service.module())).toList();
            assertEquals(1, found.size(), service.module() + ": its HorizontalPodAutoscalers " + found);
            JsonNode autoscaler = found.get(0);
            JsonNode deployment = one(base, "Deployment", service.module());
            int min = autoscaler.at("/spec/minReplicas").asInt(1);
            int max = autoscaler.at("/spec/maxReplicas").asInt();
            connections += max * (Integer.parseInt(configuration(service).getOrDefault("quarkus.datasource.reactive.max-size", "20")) + 1);
            checks.add(() -> assertEquals("apps/v1 Deployment", autoscaler.at("/spec/scaleTargetRef/apiVersion").asText() + " "
                    + autoscaler.at("/spec/scaleTargetRef/kind").asText(), service.module() + ": what it scales"));
            checks.add(() -> assertEquals(deployment.at("/spec/replicas").asInt(), min, service.module() + ": minReplicas, the Deployment's replicas"));
            checks.add(() -> assertTrue(max > min, service.module() + ": maxReplicas " + max));
            checks.add(() -> assertTrue(StreamSupport.stream(autoscaler.at("/spec/metrics").spliterator(), false)
                    .anyMatch(m -> m.path("type").asText().equals("Resource") && m.at("/resource/name").asText().equals("cpu")
                            && m.at("/resource/target/type").asText().equals("Utilization")), service.module() + ": no CPU utilisation target"));
        }
        checks.add(() -> assertEquals(Service.values().length, autoscalers.size(), "autoscalers of other Deployments: " + autoscalers));
        int needed = connections;
        int maxConnections = Integer.parseInt(only(objects(DEPLOY.resolve("in-cluster")), "Cluster").at("/spec/postgresql/parameters/max_connections").asText("100"));
        checks.add(() -> assertTrue(needed <= maxConnections - 3, "at their maximum the services hold " + needed
                + " connections, PostgreSQL's max_connections is " + maxConnections));
        assertAll(checks);
    }

    /** Where a public service is reached: its URL in base/config.env, and its paths the Ingress routes. */
    private record PublicEntry(String urlKey, List<String> paths) {
    }

    /**
     * An object as a kustomization's (or component's) replacements leave it, for those whose source is a key of
     * controlplane-config, as {@code config} holds it (the value, or with options a delimiter's field of it), and whose
     * targets' fieldPaths are plain (dots and list indexes). The fieldPaths set are added to {@code replaced}.
     */
    private static JsonNode replaced(JsonNode object, JsonNode kustomization, Map<String, String> config, Set<String> replaced) {
        JsonNode result = object.deepCopy();
        for (JsonNode replacement : kustomization.path("replacements")) {
            JsonNode source = replacement.path("source");
            assertEquals("ConfigMap " + CONFIG_MAP, source.path("kind").asText() + " " + source.path("name").asText(), "a replacement's source");
            String key = source.path("fieldPath").asText().replaceFirst("^data\\.", "");
            assertTrue(config.containsKey(key), "a replacement copies " + key + ", which " + CONFIG_MAP + " does not set");
            String value = config.get(key);
            if (source.has("options")) {
                value = value.split(Pattern.quote(source.at("/options/delimiter").asText()), -1)[source.at("/options/index").asInt()];
            }
            for (JsonNode target : replacement.path("targets")) {
                if (target.at("/select/kind").asText().equals(object.path("kind").asText())
                        && target.at("/select/name").asText(object.at("/metadata/name").asText()).equals(object.at("/metadata/name").asText())) {
                    for (JsonNode fieldPath : target.path("fieldPaths")) {
                        String[] steps = fieldPath.asText().split("\\.");
                        JsonNode parent = result;
                        for (int i = 0; i < steps.length - 1; i++) {
                            parent = steps[i].matches("\\d+") ? parent.path(Integer.parseInt(steps[i])) : parent.path(steps[i]);
                        }
                        String last = steps[steps.length - 1];
                        assertTrue(last.matches("\\d+") ? parent.has(Integer.parseInt(last)) : parent.has(last), fieldPath + " is not in " + object.at("/metadata/name"));
                        if (last.matches("\\d+")) {
                            ((ArrayNode) parent).set(Integer.parseInt(last), value);
                        } else {
                            ((ObjectNode) parent).put(last, value);
                        }
                        replaced.add(fieldPath.asText());
                    }
                }
            }
        }
        return result;
    }

    /** An object named by its file (relative to the project) and its kind and name. */
    private static String where(Path file, JsonNode object) {
        return ROOT.relativize(file) + " " + object.path("kind").asText() + " " + object.at("/metadata/name").asText();
    }

    // --- sales-service's Kubernetes provisioner (components/kubernetes-provisioner)

    /**
     * RBAC grants, admission fences: the provisioner's ClusterRole lets sales-service write in every namespace, so its
     * ValidatingAdmissionPolicy must see every write the role allows. For each (API group, resource) the ClusterRole grants
     * create, update, patch or delete on, the policy matches the admission operation (a patch is an UPDATE), in every
     * version, with no selector or exclusion that would let a request by; it fails closed; its binding names it and denies;
     * it applies to the ServiceAccount the ClusterRoleBinding names, by the account's name; and every validation says what
     * is wrong, reads a namespace's labels only where it has them, and looks for the provisioner's label.
     */
    @Test
    void theProvisionersClusterRoleIsFencedByAnAdmissionPolicy() {
        List<JsonNode> objects = objects(PROVISIONER);
        JsonNode role = only(objects, "ClusterRole");
        JsonNode roleBinding = only(objects, "ClusterRoleBinding");
        JsonNode policy = only(objects, "ValidatingAdmissionPolicy");
        JsonNode binding = only(objects, "ValidatingAdmissionPolicyBinding");
        JsonNode spec = policy.path("spec");
        List<Executable> checks = new ArrayList<>();

        // What the role lets it write, as admission sees it: "group resource" -> operations.
        Map<String, Set<String>> writes = new TreeMap<>();
        for (JsonNode rule : role.path("rules")) {
            Set<String> operations = new TreeSet<>();
            rule.path("verbs").forEach(verb -> operations.addAll(switch (verb.asText()) {
                case "create" -> Set.of("CREATE");
                case "update", "patch" -> Set.of("UPDATE");
                case "delete", "deletecollection" -> Set.of("DELETE");
                case "*" -> Set.of("CREATE", "UPDATE", "DELETE");
                default -> Set.<String>of();
            }));
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    if (!operations.isEmpty()) {
                        writes.computeIfAbsent(group.asText() + " " + resource.asText(), k -> new TreeSet<>()).addAll(operations);
                    }
                }
            }
        }
        checks.add(() -> assertFalse(writes.isEmpty(), "the ClusterRole grants no write: is this the provisioner's?"));
        writes.forEach((groupResource, operations) -> operations.forEach(operation -> checks.add(() -> assertTrue(
                StreamSupport.stream(spec.at("/matchConstraints/resourceRules").spliterator(), false)
                        .anyMatch(rule -> admissionRuleMatches(rule, groupResource.substring(0, groupResource.indexOf(' ')),
                                groupResource.substring(groupResource.indexOf(' ') + 1), operation)),
                "the ClusterRole lets sales-service " + operation + " " + groupResource + ", which the policy does not see"))));
        for (String loophole : List.of("excludeResourceRules", "namespaceSelector", "objectSelector")) {
            JsonNode found = spec.at("/matchConstraints/" + loophole);
            checks.add(() -> assertTrue(found.isMissingNode() || found.isEmpty(), "matchConstraints." + loophole + " lets requests by: " + found));
        }
        checks.add(() -> assertEquals("Fail", spec.path("failurePolicy").asText(), "failurePolicy: a check that cannot be made refuses"));

        checks.add(() -> assertEquals(policy.at("/metadata/name").asText(), binding.at("/spec/policyName").asText(), "the binding's policy"));
        checks.add(() -> assertEquals(List.of("Deny"), StreamSupport.stream(binding.at("/spec/validationActions").spliterator(), false)
                .map(JsonNode::asText).toList(), "the binding's validationActions"));
        checks.add(() -> assertTrue(binding.at("/spec/matchResources").isMissingNode() && binding.at("/spec/paramRef").isMissingNode(),
                "the binding narrows the policy: " + binding.path("spec")));

        // The account the role is bound to, by name in whatever namespace: a namespace named here would be missed in an
        // overlay that moves the suite.
        JsonNode subjects = roleBinding.path("subjects");
        checks.add(() -> assertEquals(1, subjects.size(), "the ClusterRoleBinding's subjects"));
        String account = subjects.path(0).path("name").asText();
        String username = "system:serviceaccount:" + subjects.path(0).path("namespace").asText() + ":" + account;
        checks.add(() -> assertEquals("ServiceAccount " + PROVISIONER_ACCOUNT, subjects.path(0).path("kind").asText() + " " + account,
                "the ClusterRoleBinding's subject"));
        JsonNode conditions = spec.path("matchConditions");
        checks.add(() -> assertFalse(conditions.isEmpty(), "no matchConditions: the policy would fence every user"));
        for (JsonNode condition : conditions) {
            String expression = condition.path("expression").asText();
            checks.add(() -> assertTrue(expression.contains("request.userInfo.username") && (expression.contains("'" + username + "'")
                    || expression.contains("startsWith('system:serviceaccount:')") && expression.contains("endsWith(':" + account + "')")),
                    "matchCondition " + condition.path("name").asText() + " does not name " + username + ": " + expression));
        }

        JsonNode validations = spec.path("validations");
        checks.add(() -> assertFalse(validations.isEmpty(), "the policy validates nothing"));
        Pattern labels = Pattern.compile("(\\w+)\\.metadata\\.labels\\[");
        for (int i = 0; i < validations.size(); i++) {
            JsonNode validation = validations.get(i);
            String expression = validation.path("expression").asText();
            String at = "validation " + i + " (" + expression.lines().findFirst().orElse("") + ")";
            checks.add(() -> assertFalse(validation.path("message").asText().isBlank(), at + ": no message"));
            checks.add(() -> assertFalse(validation.path("message").asText().contains("\n"), at + ": a message is one line"));
            checks.add(() -> assertTrue(expression.contains("'" + MANAGED_BY + "'") && expression.contains("'" + PROVISIONER_LABEL + "'"),
                    at + ": does not look for " + MANAGED_BY + "=" + PROVISIONER_LABEL));
            labels.matcher(expression).results().map(m -> m.group(1)).distinct().forEach(object -> checks.add(() -> assertTrue(
                    expression.contains("has(" + object + ".metadata.labels)"), at + ": reads " + object + "'s labels without has()")));
        }
        // The namespaced kinds by the namespace they are in; a namespace by itself, before (UPDATE, DELETE) and after (CREATE, UPDATE).
        String all = StreamSupport.stream(validations.spliterator(), false).map(v -> v.path("expression").asText()).collect(Collectors.joining("\n"));
        for (String reads : List.of("namespaceObject.metadata.name.startsWith('tenant-')", "object.metadata.name.startsWith('tenant-')",
                "oldObject.metadata.name.startsWith('tenant-')", "has(object.metadata.labels)", "has(oldObject.metadata.labels)",
                "'CREATE'", "'UPDATE'", "'DELETE'", "object.metadata.labels['pod-security.kubernetes.io/enforce'] == 'restricted'")) {
            checks.add(() -> assertTrue(all.contains(reads), "no validation checks " + reads));
        }
        assertAll(checks);
    }

    /** Whether a rule of a policy's matchConstraints matches a request: its group, resource (or subresource), operation, every version. */
    private static boolean admissionRuleMatches(JsonNode rule, String group, String resource, String operation) {
        Set<String> groups = new TreeSet<>();
        Set<String> versions = new TreeSet<>();
        Set<String> resources = new TreeSet<>();
        Set<String> operations = new TreeSet<>();
        rule.path("apiGroups").forEach(g -> groups.add(g.asText()));
        rule.path("apiVersions").forEach(v -> versions.add(v.asText()));
        rule.path("resources").forEach(r -> resources.add(r.asText()));
        rule.path("operations").forEach(o -> operations.add(o.asText()));
        String main = resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
        boolean resourceMatches = resources.contains(resource) || resources.contains("*/*")
                || (resource.contains("/") ? resources.contains(main + "/*") : resources.contains("*"));
        return (groups.contains(group) || groups.contains("*")) && versions.contains("*") && resourceMatches
                && (operations.contains(operation) || operations.contains("*"));
    }

    // --- monitoring: the PodMonitors, the Grafana dashboard and the alerts (deploy/kubernetes/monitoring)

    /**
     * The one PodMonitor of the services selects the service's pods (its Deployment's template labels), in the job
     * named after it, and scrapes the path and port that the generated Deployment's prometheus.io annotations name
     * (its container port named http); base's NetworkPolicies let Prometheus's pods in on that port.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void theServicesPodMonitorScrapesEachServicesMetricsWhereItsDeploymentSays(Service service) {
        JsonNode monitor = one(objects(MONITORING), "PodMonitor", SERVICES_MONITOR);
        JsonNode deployment = one(documents(generated(service)), "Deployment", service.module());
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        Pod pod = pod(service);
        int port = Integer.parseInt(annotations.path("prometheus.io/port").asText());
        String path = annotations.path("prometheus.io/path").asText();
        List<JsonNode> endpoints = new ArrayList<>();
        monitor.at("/spec/podMetricsEndpoints").forEach(endpoints::add);
        List<JsonNode> policies = objects(DEPLOY.resolve("base")).stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")).toList();
        assertAll(service.module(),
                () -> assertEquals("/q/metrics", path, "prometheus.io/path"),
                () -> assertEquals("true", annotations.path("prometheus.io/scrape").asText(), "prometheus.io/scrape"),
                () -> assertTrue(selects(monitor.at("/spec/selector"), pod.labels()), "the PodMonitor does not select the pods " + pod.labels()),
                () -> assertTrue(monitor.at("/spec/namespaceSelector").isMissingNode(), "the services are in the PodMonitor's own namespace"),
                () -> assertEquals(service.module(), pod.labels().get(monitor.at("/spec/jobLabel").asText()),
                        "the job (the PodMonitor's jobLabel), which the dashboard and the rules select"),
                () -> assertEquals(1, endpoints.size(), "podMetricsEndpoints " + endpoints),
                () -> assertEquals(path, endpoints.get(0).path("path").asText(), "the path scraped"),
                () -> assertEquals(port, pod.ports().get(endpoints.get(0).path("port").asText()), "the port scraped, by name, " + pod.ports()),
                () -> assertTrue(admits(policies, Source.elsewhere("Prometheus", "monitoring", Map.of(), Map.of("app.kubernetes.io/name", "prometheus")), pod, port),
                        "no NetworkPolicy lets Prometheus scrape the pods"));
    }

    /** The DLQ depth and the consumer lag come from the Kafka exporter that Strimzi runs for in-cluster's Kafka. */
    @Test
    void theKafkaExporterRunsInClusterAndIsScraped() {
        List<JsonNode> inCluster = objects(DEPLOY.resolve("in-cluster"));
        JsonNode kafka = only(inCluster, "Kafka");
        JsonNode monitor = one(objects(MONITORING), "PodMonitor", "controlplane-kafka-exporter");
        // As Strimzi labels the exporter's pod, and names its metrics port.
        Pod exporter = new Pod(Map.of("strimzi.io/cluster", kafka.at("/metadata/name").asText(), "strimzi.io/kind", "Kafka",
                "strimzi.io/name", kafka.at("/metadata/name").asText() + "-kafka-exporter"), Map.of("tcp-prometheus", 9404));
        List<JsonNode> policies = inCluster.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")).toList();
        assertAll(
                () -> assertTrue(kafka.at("/spec/kafkaExporter").isObject(), "in-cluster's Kafka runs no exporter (spec.kafkaExporter)"),
                () -> assertTrue(selects(monitor.at("/spec/selector"), exporter.labels()), "the PodMonitor does not select the exporter"),
                () -> assertEquals("tcp-prometheus", monitor.at("/spec/podMetricsEndpoints/0/port").asText()),
                () -> assertEquals("/metrics", monitor.at("/spec/podMetricsEndpoints/0/path").asText()),
                () -> assertTrue(admits(policies, Source.elsewhere("Prometheus", "monitoring", Map.of(), Map.of("app.kubernetes.io/name", "prometheus")), exporter, 9404),
                        "no NetworkPolicy lets Prometheus scrape the exporter"));
    }

    /**
     * The dashboard: a ConfigMap Grafana's sidecar loads (grafana_dashboard: "1"), whose JSON parses, every panel
     * queries Prometheus (the datasource variable), and together they show what operators need: service health,
     * requests, the engine, steps, waits, event lag, the outbox, the DLQ and the funnel.
     */
    @Test
    void theDashboardParsesAndEveryPanelQueriesPrometheus() {
        JsonNode generator = dashboardGenerator();
        JsonNode dashboard = dashboard();
        List<JsonNode> panels = panels(dashboard);
        Set<String> queried = new TreeSet<>();
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals("1", generator.at("/options/labels/grafana_dashboard").asText(), "the ConfigMap's label grafana_dashboard"));
        checks.add(() -> assertFalse(dashboard.path("uid").asText().isEmpty(), "the dashboard's uid"));
        checks.add(() -> assertFalse(dashboard.path("title").asText().isEmpty(), "the dashboard's title"));
        checks.add(() -> assertTrue(StreamSupport.stream(dashboard.at("/templating/list").spliterator(), false)
                .anyMatch(v -> v.path("type").asText().equals("datasource") && v.path("query").asText().equals("prometheus")
                        && v.path("name").asText().equals("datasource")), "no Prometheus datasource variable"));
        checks.add(() -> assertTrue(panels.size() >= 10, "panels: " + panels.size()));
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : panels) {
            String title = "panel " + panel.path("title").asText();
            checks.add(() -> assertTrue(ids.add(panel.path("id").asInt()), title + ": its id is another panel's"));
            checks.add(() -> assertEquals("${datasource}", panel.at("/datasource/uid").asText(), title + ": datasource"));
            checks.add(() -> assertFalse(panel.path("targets").isEmpty(), title + ": no query"));
            for (JsonNode target : panel.path("targets")) {
                checks.add(() -> assertFalse(target.path("expr").asText().isBlank(), title + ": a query without expr"));
                queried.addAll(metricNames(target.path("expr").asText()));
            }
        }
        checks.add(() -> assertTrue(queried.containsAll(DASHBOARD_SHOWS), "the dashboard queries " + queried + ", not all of " + DASHBOARD_SHOWS));
        assertAll(checks);
    }

    /**
     * Every alert has a query, holds for a while before it fires ({@code for}), a severity and a summary and
     * description; the alerts the operators need are there, each on the metric that measures its trouble.
     */
    @Test
    void theRulesAlertOnWhatMatters() {
        Map<String, JsonNode> alerts = new TreeMap<>();
        List<Executable> checks = new ArrayList<>();
        JsonNode rule = only(objects(MONITORING), "PrometheusRule");
        for (JsonNode group : rule.at("/spec/groups")) {
            checks.add(() -> assertFalse(group.path("name").asText().isEmpty(), "a group without name"));
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                checks.add(() -> assertFalse(name.isEmpty(), "a rule that is no alert (a recording rule?): " + alert));
                checks.add(() -> assertNull(alerts.put(name, alert), "two alerts " + name));
                checks.add(() -> assertFalse(metricNames(alert.path("expr").asText()).isEmpty(), name + ": expr " + alert.path("expr")));
                checks.add(() -> assertTrue(alert.path("for").asText().matches("([0-9]+[smhd])+") && !alert.path("for").asText().matches("0+[smhd]"),
                        name + ": for " + alert.path("for")));
                checks.add(() -> assertTrue(Set.of("critical", "warning", "info").contains(alert.at("/labels/severity").asText()),
                        name + ": severity " + alert.at("/labels/severity")));
                for (String annotation : List.of("summary", "description")) {
                    checks.add(() -> assertFalse(alert.at("/annotations/" + annotation).asText().isBlank(), name + ": annotation " + annotation));
                }
            }
        }
        assertAll(checks);
        assertAll(ALERTS.entrySet().stream().<Executable>map(needed -> () -> {
            JsonNode alert = alerts.get(needed.getKey());
            assertNotNull(alert, "no alert " + needed.getKey() + " among " + alerts.keySet());
            assertTrue(metricNames(alert.path("expr").asText()).contains(needed.getValue()), needed.getKey() + " does not query " + needed.getValue());
        }));
    }

    /**
     * Every query of the dashboard and the rules names metrics the services export, or one of the few of Prometheus,
     * kube-state-metrics and the Kafka exporter that {@link #EXTERNAL_METRICS} names. What the services export is
     * read from the six running services' /q/metrics, and, for the meters they register only once something happened
     * (a step's duration, a funnel stage), from the Micrometer builders of their code with Micrometer's Prometheus names;
     * the two agree on every controlplane_* and workflow_* series the scrape shows.
     */
    @Test
    @ExtendWith(SuiteExtension.class)
    void everyQueryNamesAMetricTheServicesExport(Suite suite) throws Exception {
        Set<String> scraped = new TreeSet<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
        for (Service service : Service.values()) {
            // A request of the API's, so that the HTTP server's timer has a series (/q/* are not counted).
            http.send(HttpRequest.newBuilder(URI.create(suite.url(service) + "/api/v1/monitoring-check")).build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(suite.url(service) + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode(), service.module() + "/q/metrics");
            Matcher sample = SAMPLE.matcher(metrics.body());
            while (sample.find()) {
                scraped.add(sample.group(1));
            }
        }
        Set<String> registered = registeredMetrics();
        Set<String> ours = scraped.stream().filter(name -> name.startsWith("controlplane_") || name.startsWith("workflow_"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> exported = new TreeSet<>(scraped);
        exported.addAll(registered);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertTrue(scraped.containsAll(List.of("controlplane_outbox_backlog", "http_server_requests_seconds_count", "jvm_memory_used_bytes")),
                "the scrape: " + scraped));
        checks.add(() -> assertTrue(registered.containsAll(ours), "series on /q/metrics the code's builders do not explain: "
                + ours.stream().filter(name -> !registered.contains(name)).toList()));
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard())) {
            panel.path("targets").forEach(t -> queries.put("dashboard panel " + panel.path("title").asText() + " " + t.path("refId").asText(), t.path("expr").asText()));
        }
        for (JsonNode group : only(objects(MONITORING), "PrometheusRule").at("/spec/groups")) {
            group.path("rules").forEach(r -> queries.put("alert " + r.path("alert").asText(), r.path("expr").asText()));
        }
        queries.forEach((where, expr) -> checks.add(() -> {
            Set<String> unknown = metricNames(expr).stream()
                    .filter(name -> !exported.contains(name) && !EXTERNAL_METRICS.contains(name))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), unknown, where + ": metrics no service exports, in " + expr);
        }));
        assertAll(checks);
    }

    private static JsonNode dashboardGenerator() {
        List<JsonNode> dashboards = new ArrayList<>();
        kustomization(MONITORING).path("configMapGenerator").forEach(dashboards::add);
        assertEquals(1, dashboards.size(), "monitoring/kustomization.yaml's configMapGenerator: the dashboard");
        return dashboards.get(0);
    }

    private static JsonNode dashboard() {
        JsonNode files = dashboardGenerator().path("files");
        assertEquals(1, files.size(), "the dashboard's files");
        String entry = files.get(0).asText();
        Path file = MONITORING.resolve(entry.substring(entry.indexOf('=') + 1));
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
    }

    /** A dashboard's panels, those in rows included, rows themselves not. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /**
     * The metrics a PromQL expression names: its identifiers, once strings, label matchers, ranges, Grafana's
     * variables and the label lists of by/without/on/ignoring/group_* are taken out, that are neither a function
     * (followed by a parenthesis) nor a keyword.
     */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\$\\{?\\w+}?", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            if (!PROMQL_KEYWORDS.contains(identifier.group(1).toLowerCase(java.util.Locale.ROOT))) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    /**
     * The series names of the meters the modules' code builds (Counter, Timer, Gauge, DistributionSummary), as
     * Micrometer's Prometheus registry names them: dots become underscores; a counter ends in _total; a timer is
     * _seconds_count, _sum and _max, with _bucket when it publishes a histogram (SLOs or percentiles); a summary
     * likewise without the unit.
     */
    private static Set<String> registeredMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(ROOT)) {
            sources = modules.filter(m -> !m.getFileName().toString().equals("e2e-tests")).map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory).toList();
        }
        for (Path source : sources) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(file);
                    Matcher builder = METER_BUILDER.matcher(code);
                    while (builder.find()) {
                        int end = code.indexOf(".register(", builder.end());
                        String chain = end < 0 ? "" : code.substring(builder.end(), end);
                        boolean histogram = chain.contains("serviceLevelObjectives(") || chain.contains("publishPercentileHistogram(");
                        String name = builder.group(2).replace('.', '_');
                        switch (builder.group(1)) {
                            case "Counter", "FunctionCounter" -> names.add(name.endsWith("_total") ? name : name + "_total");
                            case "Gauge", "TimeGauge" -> names.add(name);
                            case "Timer", "DistributionSummary" -> {
                                String base = builder.group(1).equals("Timer") ? name + "_seconds" : name;
                                List.of("_count", "_sum", "_max").forEach(suffix -> names.add(base + suffix));
                                if (histogram) {
                                    names.add(base + "_bucket");
                                }
                            }
                            default -> throw new AssertionError(file + ": a meter this check does not name: " + builder.group(1));
                        }
                    }
                }
            }
        }
        assertFalse(names.isEmpty(), "no Micrometer builder found in " + sources);
        return names;
    }

    // --- reading the manifests and kustomizations

    private static Path generated(Service service) {
        Path path = ROOT.resolve(service.module() + "/target/kubernetes/kubernetes.yml");
        assertTrue(Files.isRegularFile(path), path + " is missing: package the services first");
        return path;
    }

    private static List<JsonNode> documents(Path path) {
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(path.toFile())) {
            List<JsonNode> documents = values.readAll().stream().filter(d -> d != null && !d.isEmpty()).toList();
            assertFalse(documents.isEmpty(), path + " holds nothing");
            return documents;
        } catch (IOException e) {
            throw new AssertionError(path + " does not parse: " + e.getMessage(), e);
        }
    }

    private static JsonNode kustomization(Path dir) {
        List<JsonNode> documents = documents(dir.resolve("kustomization.yaml"));
        assertEquals(1, documents.size(), dir + "/kustomization.yaml");
        return documents.get(0);
    }

    private static List<JsonNode> generators(JsonNode kustomization) {
        List<JsonNode> generators = new ArrayList<>();
        kustomization.path("configMapGenerator").forEach(generators::add);
        kustomization.path("secretGenerator").forEach(generators::add);
        return generators;
    }

    private static Map<String, JsonNode> byKindAndName(List<JsonNode> objects) {
        Map<String, JsonNode> byKindAndName = new TreeMap<>();
        objects.forEach(o -> byKindAndName.put(o.path("kind").asText() + " " + o.at("/metadata/name").asText(), o));
        assertEquals(objects.size(), byKindAndName.size(), "two objects of one kind and name");
        return byKindAndName;
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name)).toList();
        assertEquals(1, found.size(), kind + " " + name);
        return found.get(0);
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), kind);
        return found.get(0);
    }

    private static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "containers");
        return containers.get(0);
    }

    private static JsonNode httpPort(JsonNode container) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals("http")) {
                return port.path("containerPort");
            }
        }
        throw new AssertionError("no port named http in " + container.path("ports"));
    }

    private static void assertProbe(JsonNode container, String probe, String path, JsonNode port) {
        assertEquals(path, container.at("/" + probe + "/httpGet/path").asText(), probe);
        assertEquals(port, container.at("/" + probe + "/httpGet/port"), probe + " port");
    }

    private static Set<String> envFromNames(JsonNode container, String ref) {
        Set<String> names = new TreeSet<>();
        container.path("envFrom").forEach(source -> {
            if (source.has(ref)) {
                names.add(source.at("/" + ref + "/name").asText());
            }
        });
        return names;
    }

    private static Map<String, String> secretKeyRefs(JsonNode container) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (JsonNode env : container.path("env")) {
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                refs.put(env.path("name").asText(), ref.path("name").asText() + "/" + ref.path("key").asText());
            }
        }
        return refs;
    }

    /** The names of the Secrets an object names anywhere: volumes (projected too), envFrom, secretKeyRef, image pull secrets. */
    private static Set<String> secretsOf(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.findValues("secretName").forEach(name -> names.add(name.asText()));
        for (String ref : List.of("secretRef", "secretKeyRef", "secret")) {
            object.findValues(ref).forEach(node -> {
                if (node.has("name")) {
                    names.add(node.path("name").asText());
                }
            });
        }
        object.findValues("imagePullSecrets").forEach(list -> list.forEach(s -> names.add(s.path("name").asText())));
        return names;
    }

    /** The variables a service reads in a cluster: {@code ${NAME}} in its configuration, but for the dev and test profiles. */
    private static Set<String> variablesRead(Service service) throws IOException {
        Set<String> read = new TreeSet<>();
        for (Path config : List.of(COMMON_CONFIG, applicationProperties(service))) {
            for (String line : Files.readAllLines(config)) {
                // The dev and test profiles never run in a cluster.
                if (!line.startsWith("%dev.") && !line.startsWith("%test.")) {
                    Matcher variable = VARIABLE.matcher(line);
                    while (variable.find()) {
                        read.add(variable.group(1));
                    }
                }
            }
        }
        return read;
    }

    /** The keys of a Secret that secrets/kustomization.yaml makes: its env template's, or its files'. */
    private static Set<String> secretKeys(String secret) {
        for (JsonNode generator : kustomization(SECRETS).path("secretGenerator")) {
            if (generator.path("name").asText().equals(secret)) {
                Set<String> keys = new TreeSet<>();
                generator.path("envs").forEach(env -> keys.addAll(envFile(SECRETS.resolve(env.asText() + ".example")).keySet()));
                generator.path("files").forEach(file -> {
                    String entry = file.asText();
                    keys.add(entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : Path.of(entry).getFileName().toString());
                });
                return keys;
            }
        }
        throw new AssertionError("secrets/kustomization.yaml makes no Secret " + secret);
    }

    /**
     * controlplane-config as an overlay makes it: its bases' (the resources that are kustomizations, in order), then
     * its own configMapGenerator's env files and literals merged in; so base/config.env, then in-cluster's literals,
     * then kind's, say.
     */
    private static Map<String, String> configMap(String overlay) {
        Map<String, String> data = configMap(DEPLOY.resolve(overlay));
        assertFalse(data.isEmpty(), overlay + " makes no " + CONFIG_MAP);
        return data;
    }

    private static Map<String, String> configMap(Path dir) {
        Map<String, String> data = new LinkedHashMap<>();
        JsonNode kustomization = kustomization(dir);
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                data.putAll(configMap(path));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            if (generator.path("name").asText().equals(CONFIG_MAP)) {
                generator.path("envs").forEach(env -> data.putAll(envFile(dir.resolve(env.asText()))));
                generator.path("literals").forEach(literal -> {
                    String entry = literal.asText();
                    data.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
                });
            }
        }
        return data;
    }

    /** The objects of a kustomization's resources, its bases' included, as their files hold them (no patch or generator applied). */
    private static List<JsonNode> objects(Path dir) {
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization(dir).path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            objects.addAll(Files.isDirectory(path) ? objects(path) : documents(path));
        }
        return objects;
    }

    /** The service's container's env in an overlay, by name: the generated one's, with what the overlay's patches add or replace. */
    private static Map<String, JsonNode> overlayEnv(String overlay, Service service) {
        Map<String, JsonNode> env = new TreeMap<>();
        container(one(documents(generated(service)), "Deployment", service.module())).path("env")
                .forEach(variable -> env.put(variable.path("name").asText(), variable));
        for (JsonNode patch : kustomization(DEPLOY.resolve(overlay)).path("patches")) {
            assertTrue(patch.has("path") && !patch.has("target"), overlay + ": a patch this check does not read: " + patch);
            for (JsonNode object : documents(DEPLOY.resolve(overlay).resolve(patch.path("path").asText()))) {
                if (object.path("kind").asText().equals("Deployment") && object.at("/metadata/name").asText().equals(service.module())) {
                    for (JsonNode container : object.at("/spec/template/spec/containers")) {
                        assertEquals(service.module(), container.path("name").asText(), overlay + ": a patch of another container");
                        container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable));
                    }
                }
            }
        }
        return env;
    }

    /** The Kafka listener the services connect to: the one on KAFKA_BOOTSTRAP_SERVERS' port. */
    private static JsonNode servicesListener(JsonNode kafka, Map<String, String> config) {
        String bootstrap = config.get("KAFKA_BOOTSTRAP_SERVERS");
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        return StreamSupport.stream(kafka.at("/spec/kafka/listeners").spliterator(), false)
                .filter(listener -> listener.path("port").asInt() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no Kafka listener on " + bootstrap));
    }

    /** The names of the resources of a type ("topic", "group") on which the ACLs allow the operation. */
    private static Set<String> resources(Map<String, Set<String>> allowed, String type, String operation) {
        return allowed.entrySet().stream().filter(e -> e.getKey().startsWith(type + " ") && e.getValue().contains(operation))
                .map(e -> e.getKey().substring(type.length() + 1)).collect(Collectors.toCollection(TreeSet::new));
    }

    // --- what the services' configuration and code say

    private static Path applicationProperties(Service service) {
        return ROOT.resolve(service.module() + "/src/main/resources/application.properties");
    }

    /** The service's settings in the cluster (the prod profile): platform-common's, overridden by its own. */
    private static Map<String, String> configuration(Service service) {
        Map<String, String> settings = properties(COMMON_CONFIG);
        settings.putAll(properties(applicationProperties(service)));
        return settings;
    }

    /** A properties file's settings in the prod profile: those of no profile, overridden by those of %prod. */
    private static Map<String, String> properties(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new AssertionError(path + " cannot be read", e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                .forEach(key -> settings.put(key, properties.getProperty(key)));
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("%prod."))
                .forEach(key -> settings.put(key.substring("%prod.".length()), properties.getProperty(key)));
        return settings;
    }

    /**
     * A configured topic as deployed: its namespace ({@code ${controlplane.kafka.topic-prefix:}}) is
     * KAFKA_TOPIC_PREFIX as base/config.env sets it, none if it leaves it unset.
     */
    private static String deployedTopic(String configured) {
        String prefix;
        try {
            prefix = Pattern.compile("^KAFKA_TOPIC_PREFIX=(.*)$", Pattern.MULTILINE)
                    .matcher(Files.readString(DEPLOY.resolve("base/config.env"))).results().map(m -> m.group(1).trim())
                    .findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return configured.replace("${controlplane.kafka.topic-prefix:}", prefix);
    }

    /** Whether the service has a Kafka client: channels of its own, or platform-messaging's outbox relay. */
    private static boolean usesKafka(Service service) throws IOException {
        String pom = Files.readString(ROOT.resolve(service.module() + "/pom.xml"));
        return pom.contains("<artifactId>quarkus-messaging-kafka</artifactId>") || pom.contains("<artifactId>platform-messaging</artifactId>");
    }

    /** The topics a service writes and reads, and the consumer groups it reads in. */
    private record Messaging(Set<String> written, Set<String> read, Set<String> groups) {
    }

    /**
     * From its configuration: the topics of its incoming channels, their groups (Quarkus' default is the application's
     * name) and dead-letter topics, and its outgoing channels' topics; from its code, the topics of the events it puts
     * in the outbox. (The outbox relay's own channel, in platform-messaging, sends each event to the topic it names.)
     */
    private static Messaging messaging(Service service) throws IOException {
        Map<String, String> config = configuration(service);
        Set<String> written = new TreeSet<>(outboxTopics(service));
        Set<String> read = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        Pattern incoming = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic");
        config.forEach((key, value) -> {
            Matcher channel = incoming.matcher(key);
            if (channel.matches()) {
                read.add(deployedTopic(value));
                groups.add(config.getOrDefault("mp.messaging.incoming." + channel.group(1) + ".group.id",
                        config.getOrDefault("kafka.group.id", config.get("quarkus.application.name"))));
            } else if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic|mp\\.messaging\\.outgoing\\.[^.]+\\.topic")) {
                written.add(deployedTopic(value));
            }
        });
        return new Messaging(written, read, groups);
    }

    private static Set<String> outboxTopics(Service service) throws IOException {
        Set<String> topics = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(service.module() + "/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher event = OUTBOX_EVENT.matcher(source);
                while (event.find()) {
                    if (event.group(1) != null) {
                        topics.add(event.group(1));
                    } else {
                        Matcher constant = Pattern.compile("String " + event.group(2) + " = \"([^\"]+)\";").matcher(source);
                        assertTrue(constant.find(), file + ": the topic " + event.group(2) + " is no String constant of the class");
                        topics.add(constant.group(1));
                    }
                }
            }
        }
        return topics;
    }

    /**
     * The services this one calls, with the port their pods take the calls on: one for each REST client its own
     * application.properties configures (quarkus.rest-client.<client>.*), at the URL the client has in the overlay.
     */
    private static Map<Service, Integer> calls(Service caller, String overlay) {
        Map<String, String> config = configuration(caller);
        Pattern client = Pattern.compile("quarkus\\.rest-client\\.([^.]+)\\..+");
        Map<Service, Integer> calls = new EnumMap<>(Service.class);
        for (String key : properties(applicationProperties(caller)).keySet()) {
            Matcher configured = client.matcher(key);
            if (configured.matches()) {
                String setting = config.getOrDefault("quarkus.rest-client." + configured.group(1) + ".url", "");
                Matcher variable = FROM_VARIABLE.matcher(setting);
                String url = variable.matches() ? configMap(overlay).get(variable.group(1)) : setting;
                assertNotNull(url, caller.module() + ": " + setting + " is not set in " + overlay);
                URI uri = URI.create(url);
                Service callee = Arrays.stream(Service.values()).filter(s -> s.module().equals(uri.getHost())).findFirst()
                        .orElseThrow(() -> new AssertionError(caller.module() + ": " + key + " calls " + url + ", no service of the suite"));
                int port = uri.getPort() < 0 ? 80 : uri.getPort();
                JsonNode servicePort = StreamSupport.stream(one(documents(generated(callee)), "Service", callee.module()).at("/spec/ports")
                                .spliterator(), false).filter(p -> p.path("port").asInt() == port).findFirst()
                        .orElseThrow(() -> new AssertionError(url + ": the Service has no port " + port));
                JsonNode target = servicePort.path("targetPort");
                calls.put(callee, target.isInt() ? target.asInt() : pod(callee).ports().get(target.asText()));
            }
        }
        return calls;
    }

    // --- Quarkus's own settings

    /** The OIDC tenants that sign people in (the authorization code flow): those of application-type web-app or hybrid. */
    private static Set<String> signInTenants(Map<String, String> settings) {
        Pattern applicationType = Pattern.compile("quarkus\\.oidc\\.([^.]+)\\.application-type");
        Set<String> tenants = new TreeSet<>();
        settings.forEach((key, value) -> {
            Matcher tenant = applicationType.matcher(key);
            if (tenant.matches() && Set.of("web-app", "hybrid").contains(value.trim())) {
                tenants.add(tenant.group(1));
            }
        });
        return tenants;
    }

    /** The environment variable of a property, as SmallRye Config reads it: every character but letters and digits an underscore, upper case. */
    private static String environmentVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** A property Quarkus knows, as a pattern of its name and of its environment variable (a map's key, "tenant" say, any name). */
    private record KnownProperty(Pattern property, Pattern variable) {

        static KnownProperty of(String name) {
            StringBuilder property = new StringBuilder();
            StringBuilder variable = new StringBuilder();
            Matcher key = Pattern.compile("\"[^\"]*\"").matcher(name);
            int at = 0;
            while (key.find()) {
                property.append(Pattern.quote(name.substring(at, key.start()))).append("(?:[^.\"]+|\"[^\"]+\")");
                variable.append(Pattern.quote(environmentVariable(name.substring(at, key.start())))).append("[A-Z0-9_]+");
                at = key.end();
            }
            property.append(Pattern.quote(name.substring(at)));
            variable.append(Pattern.quote(environmentVariable(name.substring(at))));
            return new KnownProperty(Pattern.compile(property.toString()), Pattern.compile(variable.toString()));
        }
    }

    /** The properties of every Quarkus extension the service is packaged with: their configuration models' names. */
    private static List<KnownProperty> knownProperties(Service service) {
        return KNOWN_PROPERTIES.computeIfAbsent(service, s -> {
            Path lib = ROOT.resolve(s.module() + "/target/quarkus-app/lib/main");
            assertTrue(Files.isDirectory(lib), lib + " is missing: package the services first");
            Set<String> names = new TreeSet<>();
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                    try (JarFile file = new JarFile(jar.toFile())) {
                        JarEntry model = file.getJarEntry(CONFIG_MODEL);
                        if (model != null) {
                            try (var in = file.getInputStream(model)) {
                                JSON.readTree(in).findValues("property").forEach(name -> names.add(name.asText()));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertTrue(names.contains("quarkus.http.port"), s.module() + ": no configuration model of Quarkus's HTTP server in " + lib);
            return names.stream().map(KnownProperty::of).toList();
        });
    }

    /** An IP address or a CIDR, written as an address (IPv4 or IPv6), never a name to look up. */
    private static boolean isAddressOrCidr(String value) {
        String[] parts = value.split("/", 2);
        if (!parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false;
        }
        try {
            int bits = InetAddress.getByName(parts[0]).getAddress().length * 8;
            return parts.length == 1 || parts[1].matches("\\d{1,3}") && Integer.parseInt(parts[1]) <= bits;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    // --- network policies

    /** A service's pods as a NetworkPolicy sees them: their labels, and their container ports by name. */
    private record Pod(Map<String, String> labels, Map<String, Integer> ports) {
    }

    private static Pod pod(Service service) {
        JsonNode deployment = one(documents(generated(service)), "Deployment", service.module());
        Map<String, String> labels = new TreeMap<>();
        deployment.at("/spec/template/metadata/labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
        Map<String, Integer> ports = new TreeMap<>();
        container(deployment).path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
        return new Pod(labels, ports);
    }

    /**
     * Where a connection comes from, as a NetworkPolicy sees it: the pod's labels, and its namespace's labels and
     * whether that is the policies' own namespace (the services'). {@code name} says who it is in a failure.
     */
    private record Source(String name, Map<String, String> namespaceLabels, boolean policiesNamespace, Map<String, String> labels) {

        /** The services' namespace, labelled as docs/kubernetes.md makes it (and as Kubernetes labels every namespace). */
        static final Map<String, String> SERVICES_NAMESPACE = Map.of("kubernetes.io/metadata.name", "controlplane",
                "pod-security.kubernetes.io/enforce", "restricted");

        static Source inNamespace(String name, Map<String, String> labels) {
            return new Source(name, SERVICES_NAMESPACE, true, labels);
        }

        static Source elsewhere(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {
            Map<String, String> all = new TreeMap<>(namespaceLabels);
            all.put("kubernetes.io/metadata.name", namespace);
            return new Source(name, all, false, labels);
        }
    }

    /**
     * Whether the policies let {@code from} connect to pods {@code to} on the port, as Kubernetes reads them: a policy
     * of type Ingress (the type a policy without policyTypes has) that selects the pods admits what one of its rules
     * does; a rule admits the sources of its {@code from} (without one, or with none listed: every source) on the
     * ports of its {@code ports} (without them: every port; a port by number, with endPort a range, or by the
     * container port's name; TCP).
     */
    private static boolean admits(List<JsonNode> policies, Source from, Pod to, int port) {
        for (JsonNode policy : policies) {
            JsonNode types = policy.at("/spec/policyTypes");
            boolean ingress = types.isMissingNode() || StreamSupport.stream(types.spliterator(), false).anyMatch(t -> t.asText().equals("Ingress"));
            if (ingress && selects(policy.at("/spec/podSelector"), to.labels())) {
                for (JsonNode rule : policy.at("/spec/ingress")) {
                    boolean source = rule.path("from").isEmpty()
                            || StreamSupport.stream(rule.path("from").spliterator(), false).anyMatch(peer -> peerSelects(peer, from));
                    boolean onPort = rule.path("ports").isEmpty() || StreamSupport.stream(rule.path("ports").spliterator(), false)
                            .anyMatch(p -> p.path("protocol").asText("TCP").equals("TCP") && (!p.has("port")
                                    || (p.path("port").isInt()
                                            ? p.path("port").asInt() <= port && port <= p.path("endPort").asInt(p.path("port").asInt())
                                            : Integer.valueOf(port).equals(to.ports().get(p.path("port").asText())))));
                    if (source && onPort) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether a NetworkPolicyPeer selects the source: a podSelector alone, pods of the policy's namespace; a
     * namespaceSelector, pods of the namespaces it selects (with a podSelector, those of its pods). An ipBlock is taken
     * to select any pod (pods have the cluster's addresses, which this check does not know): none of the policies
     * here has one, and one added fails the checks of what the policies keep out.
     */
    private static boolean peerSelects(JsonNode peer, Source from) {
        if (peer.has("ipBlock")) {
            return true;
        }
        boolean namespace = peer.has("namespaceSelector") ? selects(peer.path("namespaceSelector"), from.namespaceLabels()) : from.policiesNamespace();
        return namespace && (!peer.has("podSelector") || selects(peer.path("podSelector"), from.labels()));
    }

    /** Whether a label selector selects these labels; an empty one selects all. */
    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean matches = switch (expression.path("operator").asText()) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("a selector's operator: " + expression);
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    /** A Kustomize env file: KEY=VALUE lines, # comments. */
    private static Map<String, String> envFile(Path path) {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(path)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    assertTrue(line.contains("="), path + ": " + line);
                    entries.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(path + " cannot be read", e);
        }
        return entries;
    }
}
