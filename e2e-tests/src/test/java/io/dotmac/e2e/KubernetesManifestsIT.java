package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes deploy, checked without a cluster or kubectl: the manifests quarkus-kubernetes
 * generated for each service (its {@code target/kubernetes/kubernetes.yml}) have probes on
 * /q/health, resources and their config and secrets; deploy/kubernetes/base holds exactly those;
 * every file a kustomization names is there and parses; and whatever a service reads from its
 * environment, every Secret it names with the keys it reads, and the databases and topics it uses
 * are provided by the deploy.
 */
class KubernetesManifestsIT {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ROOT = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("deploy/kubernetes");
    private static final Path SECRETS = DEPLOY.resolve("secrets");
    private static final String CONFIG_MAP = "controlplane-config";
    /** A variable a service reads: {@code ${NAME}} or {@code ${NAME:default}} in its configuration. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    /** A variable that base/config.env names in a comment: it is left to its default on purpose. */
    private static final Pattern DEFAULTED = Pattern.compile("^#\\s*([A-Z][A-Z0-9_]*)=", Pattern.MULTILINE);

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
                () -> assertEquals(Map.of("DB_USER", "controlplane-db/username", "DB_PASSWORD", "controlplane-db/password"),
                        secretKeyRefs(container)),
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
    @ValueSource(strings = {"base", "in-cluster", "external", "secrets"})
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
                }
            }
            checked.add(resource.asText());
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
        Set<String> read = new TreeSet<>();
        for (Path config : List.of(ROOT.resolve("platform-common/src/main/resources/META-INF/microprofile-config.properties"),
                ROOT.resolve(service.module() + "/src/main/resources/application.properties"))) {
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
        Set<String> fromSecretsAndManifest = new TreeSet<>();
        container.path("env").forEach(env -> fromSecretsAndManifest.add(env.path("name").asText()));
        for (String secret : envFromNames(container, "secretRef")) {
            fromSecretsAndManifest.addAll(secretKeys(secret));
        }
        String baseConfig = Files.readString(DEPLOY.resolve("base/config.env"));
        for (String overlay : List.of("in-cluster", "external")) {
            Set<String> provided = new TreeSet<>(fromSecretsAndManifest);
            provided.addAll(configMap(overlay).keySet());
            DEFAULTED.matcher(baseConfig).results().forEach(m -> provided.add(m.group(1)));
            Set<String> missing = new TreeSet<>(read);
            missing.removeAll(provided);
            assertEquals(Set.of(), missing, service.module() + " in " + overlay
                    + ": read, but neither set by the deploy nor named in base/config.env");
        }
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
        assertFalse(locations.isEmpty(), "the service is told of no key file (JWT_PUBLIC_KEY_LOCATION at least)");
    }

    @Test
    void theInClusterOverlayMakesTheDatabasesAndTopicsAndPointsAtThem() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization(DEPLOY.resolve("in-cluster")).path("resources")) {
            Path path = DEPLOY.resolve("in-cluster").resolve(resource.asText());
            if (Files.isRegularFile(path)) {
                objects.addAll(documents(path));
            }
        }
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
            for (String line : Files.readAllLines(ROOT.resolve(service.module() + "/src/main/resources/application.properties"))) {
                if (line.matches("mp\\.messaging\\..*\\.topic=.*")) {
                    used.add(line.substring(line.indexOf('=') + 1));
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

    /** controlplane-config as an overlay makes it: base/config.env merged with the overlay's literals. */
    private static Map<String, String> configMap(String overlay) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String dir : List.of("base", overlay)) {
            for (JsonNode generator : kustomization(DEPLOY.resolve(dir)).path("configMapGenerator")) {
                if (generator.path("name").asText().equals(CONFIG_MAP)) {
                    generator.path("envs").forEach(env -> data.putAll(envFile(DEPLOY.resolve(dir).resolve(env.asText()))));
                    generator.path("literals").forEach(literal -> {
                        String entry = literal.asText();
                        data.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
                    });
                }
            }
        }
        assertFalse(data.isEmpty(), overlay + " makes no " + CONFIG_MAP);
        return data;
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
