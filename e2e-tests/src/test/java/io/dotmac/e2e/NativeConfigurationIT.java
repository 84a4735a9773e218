package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Native readiness, checked without GraalVM: the build runs Quarkus's native build as far as it goes
 * without one ({@code quarkus.native.sources-only}, the parent pom's {@code native-sources} execution),
 * which leaves in target/native-sources the jar native-image would be given, with the reflection
 * configuration Quarkus generated. What is not in it is invisible to Jackson and Gson in a native
 * binary: a body written from it comes out as {@code {}} or fails, an error response becomes a 500.
 * So every type a service serializes outside a resource's or a REST client's signature (found in its
 * bytecode by {@link SerializedTypes}), the problem body of every error among them, and billing's
 * stripe-java parameters (turned into requests by Gson's reflection) and models (filled in by it)
 * must be registered there, with their constructors, methods and fields.
 */
class NativeConfigurationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize();
    private static final String PROBLEM = "io.dotmac.common.rest.Problem";
    /**
     * Where a value is serialized as a plain Object by design, and why that needs nothing registered: the
     * value was made, and is checked, elsewhere, or is JSON's own maps and lists.
     */
    private static final Map<String, String> GENERIC = Map.of(
            "io.dotmac.common.idempotency.IdempotencyService.complete", "the entity a resource returned, kept for a replay",
            "io.dotmac.common.idempotency.IdempotencyService.record", "the entity a resource returned, kept for a replay",
            "io.dotmac.common.idempotency.IdempotencyService.keyed", "the request's body as its resource read it",
            "io.dotmac.common.idempotency.IdempotencyService.hash", "the request's body as its resource read it",
            "io.dotmac.workflow.execution.JsonCodec.write", "an execution's data: JSON's maps, lists and scalars",
            "io.dotmac.workflow.execution.PgExecutionStore.checkpointRows", "an execution's context: JSON's maps and lists",
            "io.dotmac.workflow.execution.PgExecutionStore.stepTuple", "a step's input and output: JSON's maps and lists");

    @ParameterizedTest
    @EnumSource(Service.class)
    void everyTypeTheServiceSerializesOutsideASignatureIsRegistered(Service service) {
        Map<String, JsonNode> registered = reflectionConfiguration(service);
        Map<String, Set<String>> missing = new TreeMap<>();
        Set<String> untyped = new TreeSet<>();
        List<Path> classes = classFolders(service);
        List<SerializedTypes.Use> uses = new ArrayList<>(SerializedTypes.in(classes));
        uses.addAll(SerializedTypes.jsonColumns(classes));
        for (SerializedTypes.Use use : uses) {
            if (use.type().equals("?") || use.type().equals("java.lang.Object")) {
                if (!GENERIC.containsKey(use.where())) {
                    untyped.add(use.where());
                }
            } else if (!SerializedTypes.needsNoRegistration(use.type())) {
                for (String type : SerializedTypes.withFieldTypes(use.type(), classes)) {
                    if (!fullyRegistered(registered.get(type))) {
                        missing.computeIfAbsent(type, t -> new TreeSet<>()).add(use.where());
                    }
                }
            }
        }
        assertEquals(Map.of(), missing, service.module() + ": serialized outside a signature (type: where) but not registered "
                + "for reflection; annotate it @RegisterForReflection or return a typed RestResponse<T>");
        assertEquals(Set.of(), untyped, service.module() + ": serializes a value whose type the bytecode does not say; "
                + "give it a declared type so that this check, and the native build, see it");
    }

    /** The body of every 4xx and 5xx: unregistered, each would be a 500 in native, and the engine would retry a 400. */
    @ParameterizedTest
    @EnumSource(Service.class)
    void theProblemBodyOfEveryErrorIsRegistered(Service service) {
        JsonNode problem = reflectionConfiguration(service).get(PROBLEM);
        assertTrue(fullyRegistered(problem), service.module() + ": " + PROBLEM + " registered as " + problem);
    }

    /** The check above sees what Hibernate writes as JSON: a cart's lines, an order's services, a quote's items. */
    @Test
    void theJsonColumnsAreAmongWhatIsChecked() {
        Set<String> sales = SerializedTypes.jsonColumns(classFolders(Service.SALES)).stream().map(SerializedTypes.Use::type)
                .collect(java.util.stream.Collectors.toSet());
        Set<String> crm = SerializedTypes.jsonColumns(classFolders(Service.CRM)).stream().map(SerializedTypes.Use::type)
                .collect(java.util.stream.Collectors.toSet());
        assertTrue(sales.containsAll(Set.of("io.dotmac.sales.shop.CartLines", "io.dotmac.sales.order.OrderedServices")), sales.toString());
        assertTrue(crm.contains("io.dotmac.crm.quote.QuoteItem"), crm.toString());
    }

    @Test
    void billingRegistersTheStripeParametersItSendsAndTheModelsItReads() throws IOException {
        Map<String, JsonNode> registered = reflectionConfiguration(Service.BILLING);
        List<Path> classes = classFolders(Service.BILLING);
        Set<String> params = SerializedTypes.referenced(classes, "com/stripe/param/");
        Set<String> models = SerializedTypes.referenced(classes, "com/stripe/model/");
        assertFalse(params.isEmpty(), "billing-service names no stripe-java parameters: is this the right folder?");

        Set<String> expected = new TreeSet<>();
        try (ZipFile stripe = new ZipFile(stripeJar().toFile())) {
            // A parameters class's nested classes (its sub-objects and enums) are read by Gson as much as it is;
            // not its builders, nor the compiler's synthetic classes.
            stripe.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .filter(n -> params.stream().anyMatch(p -> n.equals(p) || n.startsWith(p + "$")))
                    .filter(n -> !n.endsWith("$Builder") && !n.matches(".*\\$\\d+"))
                    .forEach(expected::add);
        }
        expected.addAll(models);
        List<String> unregistered = new ArrayList<>();
        for (String type : expected) {
            JsonNode entry = registered.getOrDefault(type, MissingNode.getInstance());
            // Gson reads and writes the fields, and makes a model it reads through its constructor.
            boolean fields = flag(entry, "allDeclaredFields") || entry.path("fields").size() > 0;
            boolean made = params.stream().anyMatch(type::startsWith) || flag(entry, "allDeclaredConstructors");
            if (!fields || !made) {
                unregistered.add(type);
            }
        }
        assertEquals(List.of(), unregistered, "stripe-java classes billing-service uses, without their fields (and a model without its constructors) registered");
    }

    /** Constructors to make it, methods to read it (a record's accessors, a bean's getters), fields for the rest. */
    private static boolean fullyRegistered(JsonNode entry) {
        return entry != null && flag(entry, "allDeclaredConstructors") && flag(entry, "allDeclaredMethods")
                && flag(entry, "allDeclaredFields");
    }

    private static boolean flag(JsonNode entry, String name) {
        return entry.path(name).asBoolean(false);
    }

    /** The service's classes and those of the platform modules it packages. */
    private static List<Path> classFolders(Service service) {
        List<Path> folders = new ArrayList<>(List.of(ROOT.resolve(service.module()).resolve("target/classes")));
        for (String platform : List.of("platform-common", "platform-messaging")) {
            if (packaged(service, platform + "-")) {
                folders.add(ROOT.resolve(platform).resolve("target/classes"));
            }
        }
        return folders;
    }

    private static boolean packaged(Service service, String jarName) {
        try (Stream<Path> jars = Files.list(ROOT.resolve(service.module()).resolve("target/quarkus-app/lib/main"))) {
            return jars.anyMatch(j -> j.getFileName().toString().contains("." + jarName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path stripeJar() throws IOException {
        try (Stream<Path> jars = Files.list(ROOT.resolve("billing-service/target/quarkus-app/lib/main"))) {
            return jars.filter(j -> j.getFileName().toString().startsWith("com.stripe.stripe-java-")).findFirst()
                    .orElseThrow(() -> new AssertionError("billing-service packages no stripe-java"));
        }
    }

    /** What the native build registered for reflection, by class name. */
    private static Map<String, JsonNode> reflectionConfiguration(Service service) {
        Path sources = ROOT.resolve(service.module()).resolve("target/native-sources");
        try (Stream<Path> files = Files.list(sources)) {
            Path runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no native sources in " + sources
                            + ": the native-sources build did not run (it is skipped with -DskipTests)"));
            try (ZipFile jar = new ZipFile(runner.toFile())) {
                JsonNode config = JSON.readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
                Map<String, JsonNode> byName = new HashMap<>();
                config.forEach(entry -> byName.merge(entry.path("name").asText(), entry, NativeConfigurationIT::union));
                return byName;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two entries of one class (registered by two build steps): what either allows. */
    private static JsonNode union(JsonNode a, JsonNode b) {
        ObjectNode merged = a.deepCopy();
        b.fields().forEachRemaining(f -> {
            if (!f.getValue().isBoolean() || f.getValue().asBoolean()) {
                merged.set(f.getKey(), f.getValue());
            }
        });
        return merged;
    }
}
