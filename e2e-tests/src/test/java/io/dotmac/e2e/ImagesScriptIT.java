package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/kubernetes/images checks what it needs before it builds anything: run without a REGISTRY (unset or empty)
 * it fails with a message on stderr that says what to set and how (the issue's "done when"), and an unknown option
 * or overlay gets the usage and a non-zero exit; in each case nothing was built, pushed or written. The script itself
 * runs, with {@code docker}, {@code podman} and {@code mvn} on its PATH replaced by stubs that only record being
 * called, so the check needs no container engine or Maven, takes a second, and shows the script called none of
 * them and left the release overlay (deploy/kubernetes/release/kustomization.yaml) as it was.
 * <p>
 * Run to the end (the stubs "build" and "push"), it writes the release overlay: the chosen overlay as its one
 * resource and an images: entry per service naming the pushed image and its tag, the commit; in this project's tree
 * into RELEASE_DIR (a temporary folder), and in a small git repository of its own shape (the script, the Dockerfiles,
 * the modules' poms and sources, deploy settings) where what is committed and what is changed is known: there,
 * editing deploy/kubernetes's settings, the docs or the tests leaves the images clean, while a change to what they
 * are built from (a module's src/ or pom.xml, a dependency module's, the root pom, a Dockerfile, .dockerignore) is
 * refused, or with --allow-dirty tagged -dirty. And the native build's context (the repository root, less
 * .dockerignore) holds none of the Secrets' values that deploy/kubernetes/secrets keeps out of git.
 */
class ImagesScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("deploy/kubernetes");
    private static final Path SCRIPT = DEPLOY.resolve("images");
    private static final Path OVERLAY = ROOT.resolve("deploy/kubernetes/release/kustomization.yaml");
    /** The programs the script builds, pushes and packages with. */
    private static final List<String> STUBBED = List.of("docker", "podman", "mvn");
    private static final String EXAMPLE_REGISTRY = "registry.example.com/acme";
    private static final List<String> SERVICES = Arrays.stream(Service.values()).map(Service::module).toList();
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path temp;

    private record Run(int exit, String stdout, String stderr, String calls) {
    }

    @ParameterizedTest(name = "REGISTRY={0}")
    @NullAndEmptySource
    void withoutARegistryItSaysWhatToSetAndDoesNothing(String registry) throws Exception {
        Snapshot before = Snapshot.of(OVERLAY);

        Run run = run(registry);

        assertAll(
                () -> assertNotEquals(0, run.exit(), "exit status"),
                () -> assertTrue(run.stderr().contains("REGISTRY is not set"), "names REGISTRY: " + run.stderr()),
                () -> assertTrue(run.stderr().contains("REGISTRY=" + EXAMPLE_REGISTRY + " deploy/kubernetes/images"),
                        "gives an example: " + run.stderr()),
                () -> assertEquals("", run.calls(), "built, pushed or packaged nothing"),
                () -> assertEquals(before, Snapshot.of(OVERLAY), "the release overlay untouched"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--no-such-option", "--overlay=staging"})
    void aWrongOptionGetsTheUsage(String option) throws Exception {
        Snapshot before = Snapshot.of(OVERLAY);

        Run run = run(EXAMPLE_REGISTRY, option);

        assertAll(
                () -> assertNotEquals(0, run.exit(), "exit status"),
                () -> assertTrue(run.stderr().contains("usage:"), "prints the usage: " + run.stderr()),
                () -> assertTrue(run.stderr().contains(option.substring(option.indexOf('=') + 1)),
                        "names what was wrong: " + run.stderr()),
                () -> assertEquals("", run.calls(), "built, pushed or packaged nothing"),
                () -> assertEquals(before, Snapshot.of(OVERLAY), "the release overlay untouched"));
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        Run run = run(null, "--help");

        assertAll(
                () -> assertEquals(0, run.exit(), "exit status; stderr: " + run.stderr()),
                () -> assertTrue(run.stdout().contains("usage:"), run.stdout()),
                () -> assertTrue(run.stdout().contains("--native") && run.stdout().contains("--overlay"), run.stdout()),
                () -> assertEquals("", run.calls(), "built, pushed or packaged nothing"));
    }

    /**
     * To the end in this project's tree, the overlay written to RELEASE_DIR: its resource is the chosen overlay (a path
     * from RELEASE_DIR, as Kustomize takes a base), and its images: entries name the six images pushed, with the tag
     * of the commit (-dirty if the tree's build inputs have changes, which --allow-dirty allows); the project's own
     * release overlay is left as it was.
     */
    @ParameterizedTest
    @ValueSource(strings = {"in-cluster", "external"})
    void releaseDirTakesTheOverlayWhichNamesTheChosenOverlayAndTheImagesPushed(String overlay) throws Exception {
        Snapshot before = Snapshot.of(OVERLAY);
        Path release = temp.resolve("somewhere/release");
        String commit = git(ROOT, "rev-parse", "--short", "HEAD");

        Run run = run(SCRIPT, ROOT, Map.of("RELEASE_DIR", release.toString()), EXAMPLE_REGISTRY,
                "--no-build", "--allow-dirty", "--overlay", overlay);

        assertEquals(0, run.exit(), "exit status; stderr: " + run.stderr());
        JsonNode written = YAML.readTree(release.resolve("kustomization.yaml").toFile());
        String tag = written.at("/images/0/newTag").asText();
        assertAll(
                () -> assertTrue(tag.equals(commit) || tag.equals(commit + "-dirty"), "the tag, the commit " + commit + ": " + tag),
                () -> assertEquals(1, written.path("resources").size(), "resources: " + written.path("resources")),
                () -> assertEquals(DEPLOY.resolve(overlay).toRealPath(),
                        release.resolve(written.at("/resources/0").asText()).normalize().toRealPath(), "the overlay it builds on"),
                () -> assertImages(written, tag, run),
                () -> assertEquals(before, Snapshot.of(OVERLAY), "deploy/kubernetes/release untouched"));
    }

    /** In its place, deploy/kubernetes/release: the overlay's resource is ../<overlay>, the tag the commit's. */
    @ParameterizedTest
    @ValueSource(strings = {"in-cluster", "external"})
    void itWritesTheReleaseOverlayBesideTheOverlays(String overlay) throws Exception {
        Path project = project();
        String commit = git(project, "rev-parse", "--short", "HEAD");

        Run run = run(project.resolve("deploy/kubernetes/images"), project, Map.of(), EXAMPLE_REGISTRY, "--no-build", "--overlay=" + overlay);

        assertEquals(0, run.exit(), "exit status; stderr: " + run.stderr());
        JsonNode written = YAML.readTree(project.resolve("deploy/kubernetes/release/kustomization.yaml").toFile());
        assertAll(
                () -> assertEquals("Kustomization", written.path("kind").asText(), "kind"),
                () -> assertEquals(List.of("../" + overlay), YAML.convertValue(written.path("resources"), List.class), "resources"),
                () -> assertImages(written, commit, run));
    }

    /**
     * What docs/kubernetes.md has the operator edit (deploy/kubernetes's config.env and postgres.yml), the docs and
     * the tests are in no image: changed or added, the images are still the commit's, tagged without -dirty and built
     * without --allow-dirty.
     */
    @Test
    void changesOutsideTheImagesSourcesLeaveThemClean() throws Exception {
        Path project = project();
        String commit = git(project, "rev-parse", "--short", "HEAD");
        Files.writeString(project.resolve("deploy/kubernetes/base/config.env"), "CONSOLE_URL=https://console.example.org/console/\n",
                StandardOpenOption.APPEND);
        Files.writeString(project.resolve("deploy/kubernetes/in-cluster/postgres.yml"), "# the bucket\n", StandardOpenOption.APPEND);
        Files.writeString(project.resolve("docs/kubernetes.md"), "more\n", StandardOpenOption.APPEND);
        Files.writeString(project.resolve("e2e-tests/src/test/java/SomeIT.java"), "// more\n", StandardOpenOption.APPEND);
        Files.writeString(project.resolve("deploy/kubernetes/new-overlay.yaml"), "resources: []\n");
        assertFalse(git(project, "status", "--porcelain").isEmpty(), "the work tree has changes");

        Run run = run(project.resolve("deploy/kubernetes/images"), project, Map.of(), EXAMPLE_REGISTRY, "--no-build");

        assertEquals(0, run.exit(), "exit status; stderr: " + run.stderr());
        JsonNode written = YAML.readTree(project.resolve("deploy/kubernetes/release/kustomization.yaml").toFile());
        assertImages(written, commit, run);
    }

    /**
     * A change to what the images are built from, tracked or new: refused (nothing built or written, the path named)
     * without --allow-dirty, and with it the images are tagged <commit>-dirty.
     */
    @ParameterizedTest
    @ValueSource(strings = {"workflow-service/src/main/java/Example.java", "sales-service/src/main/java/Added.java",
            "crm-service/pom.xml", "platform-common/src/main/java/Common.java", "platform-common/pom.xml", "pom.xml",
            "deploy/kubernetes/Dockerfile.jvm", "deploy/kubernetes/Dockerfile.native", ".dockerignore"})
    void aChangeToWhatTheImagesAreBuiltFromIsRefusedOrTaggedDirty(String changed) throws Exception {
        Path project = project();
        String commit = git(project, "rev-parse", "--short", "HEAD");
        Files.createDirectories(project.resolve(changed).getParent());
        Files.writeString(project.resolve(changed), "\n<!-- changed -->\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Path written = project.resolve("deploy/kubernetes/release/kustomization.yaml");

        Run refused = run(project.resolve("deploy/kubernetes/images"), project, Map.of(), EXAMPLE_REGISTRY, "--no-build");

        assertAll("without --allow-dirty",
                () -> assertNotEquals(0, refused.exit(), "exit status"),
                () -> assertTrue(refused.stderr().contains(changed) && refused.stderr().contains("--allow-dirty"),
                        "names the change and --allow-dirty: " + refused.stderr()),
                () -> assertFalse(refused.calls().contains(" build ") || refused.calls().contains(" push "), "built or pushed: " + refused.calls()),
                () -> assertFalse(Files.exists(written), "wrote the release overlay"));

        Run allowed = run(project.resolve("deploy/kubernetes/images"), project, Map.of(), EXAMPLE_REGISTRY, "--no-build", "--allow-dirty");

        assertEquals(0, allowed.exit(), "exit status with --allow-dirty; stderr: " + allowed.stderr());
        assertImages(YAML.readTree(written.toFile()), commit + "-dirty", allowed);
    }

    /**
     * The native build's context is the repository root less .dockerignore, and Dockerfile.native copies all of it:
     * none of the files deploy/kubernetes/secrets makes its Secrets from (nor any other file there that git ignores,
     * nor deploy/local's state in .local) may be in it; the templates, the recipe and the sources are.
     */
    @Test
    void theNativeBuildContextHoldsNoSecret() throws IOException {
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"));
        Path secrets = DEPLOY.resolve("secrets");
        Set<String> secretFiles = new TreeSet<>();
        JsonNode recipe = YAML.readTree(secrets.resolve("kustomization.yaml").toFile());
        recipe.path("secretGenerator").forEach(generator -> {
            generator.path("envs").forEach(env -> secretFiles.add(env.asText()));
            generator.path("files").forEach(file -> secretFiles.add(file.asText().substring(file.asText().indexOf('=') + 1)));
        });
        assertFalse(secretFiles.isEmpty(), "secrets/kustomization.yaml makes no Secret from a file");
        Set<String> kept = Set.of(".gitignore", "kustomization.yaml", "init");
        try (Stream<Path> present = Files.list(secrets)) {
            present.map(f -> f.getFileName().toString()).filter(f -> !kept.contains(f) && !f.endsWith(".example")).forEach(secretFiles::add);
        }
        List<String> excluded = new ArrayList<>(secretFiles.stream().map(f -> "deploy/kubernetes/secrets/" + f).toList());
        excluded.addAll(List.of(".local/keys/engine-jwt-private.pem", ".git/config", "workflow-service/target/quarkus-app/quarkus-run.jar",
                "deploy/kubernetes/release/kustomization.yaml"));
        List<String> included = new ArrayList<>(List.of("pom.xml", "workflow-service/pom.xml", "workflow-service/src/main/java/A.java",
                "platform-common/src/main/resources/application.properties", "deploy/kubernetes/secrets/kustomization.yaml",
                "deploy/kubernetes/secrets/init", "deploy/kubernetes/Dockerfile.native"));
        try (Stream<Path> templates = Files.list(secrets)) {
            templates.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".example"))
                    .forEach(f -> included.add("deploy/kubernetes/secrets/" + f));
        }
        List<Executable> checks = new ArrayList<>();
        excluded.forEach(path -> checks.add(() -> assertTrue(dockerIgnores(ignore, path), path + " is in the native build's context")));
        included.forEach(path -> checks.add(() -> assertFalse(dockerIgnores(ignore, path), path + " is left out of the native build's context")));
        assertAll(checks);
    }

    /** The release overlay's images: entries, one per service, and the stub's build and push of each. */
    private static void assertImages(JsonNode written, String tag, Run run) {
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(SERVICES.size(), written.path("images").size(), "images: " + written.path("images")));
        for (int i = 0; i < SERVICES.size(); i++) {
            String service = SERVICES.get(i);
            JsonNode entry = written.path("images").path(i);
            String image = EXAMPLE_REGISTRY + "/controlplane/" + service;
            checks.add(() -> assertEquals("controlplane/" + service, entry.path("name").asText(), "name, the generated manifest's image"));
            checks.add(() -> assertEquals(image, entry.path("newName").asText(), service + ": newName"));
            checks.add(() -> assertEquals(tag, entry.path("newTag").asText(), service + ": newTag"));
            checks.add(() -> assertTrue(run.calls().lines().anyMatch(c -> c.startsWith("docker build ") && c.contains(" -t " + image + ":" + tag + " ")),
                    service + " not built as " + image + ":" + tag + ": " + run.calls()));
            checks.add(() -> assertTrue(run.calls().lines().anyMatch(c -> c.equals("docker push " + image + ":" + tag)),
                    service + " not pushed as " + image + ":" + tag + ": " + run.calls()));
        }
        assertAll(checks);
    }

    /**
     * Whether .dockerignore leaves the path (relative to the context, with slashes) out of the context, as Docker reads
     * it: the last pattern that matches the path or a folder above it decides, a {@code !} pattern takes it back in;
     * {@code *} and {@code ?} match within a name, {@code **} any number of folders.
     */
    static boolean dockerIgnores(List<String> patterns, String path) {
        boolean ignored = false;
        for (String line : patterns) {
            String pattern = line.trim();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            pattern = pattern.substring(exception ? 1 : 0).trim().replaceAll("^/+", "").replaceAll("/+$", "");
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (pattern.startsWith("**/", i)) {
                    regex.append("(?:.*/)?");
                    i += 2;
                } else if (pattern.startsWith("**", i)) {
                    regex.append(".*");
                    i += 1;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            Pattern compiled = Pattern.compile(regex.toString());
            String candidate = path;
            boolean matches = false;
            while (!matches && !candidate.isEmpty()) {
                matches = compiled.matcher(candidate).matches();
                candidate = candidate.contains("/") ? candidate.substring(0, candidate.lastIndexOf('/')) : "";
            }
            if (matches) {
                ignored = !exception;
            }
        }
        return ignored;
    }

    /**
     * A git repository of this project's shape, committed: the script and the Dockerfiles, the root pom naming the
     * modules, platform-common (a module the services depend on), the six services (each a pom naming platform-common,
     * a source, and target/quarkus-app/quarkus-run.jar as packaged, which git ignores), e2e-tests, the docs and deploy
     * settings.
     */
    private Path project() throws IOException, InterruptedException {
        Path project = temp.resolve("project");
        Path kubernetes = Files.createDirectories(project.resolve("deploy/kubernetes"));
        Files.copy(SCRIPT, kubernetes.resolve("images"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            Files.copy(DEPLOY.resolve(dockerfile), kubernetes.resolve(dockerfile));
        }
        write(project, "deploy/kubernetes/base/config.env", "DB_PORT=5432\n");
        write(project, "deploy/kubernetes/in-cluster/postgres.yml", "kind: Cluster\n");
        write(project, "deploy/kubernetes/in-cluster/kustomization.yaml", "resources: [postgres.yml]\n");
        write(project, "deploy/kubernetes/external/kustomization.yaml", "resources: []\n");
        write(project, "docs/kubernetes.md", "# Deploying\n");
        write(project, ".gitignore", "target/\ndeploy/kubernetes/release/\n");
        write(project, ".dockerignore", ".git\n**/target\n");
        StringBuilder modules = new StringBuilder();
        List<String> all = new ArrayList<>(List.of("platform-common"));
        all.addAll(SERVICES);
        all.add("e2e-tests");
        all.forEach(module -> modules.append("    <module>").append(module).append("</module>\n"));
        write(project, "pom.xml", "<project>\n  <modules>\n" + modules + "  </modules>\n</project>\n");
        write(project, "platform-common/pom.xml", "<project><artifactId>platform-common</artifactId></project>\n");
        write(project, "platform-common/src/main/java/Common.java", "class Common {}\n");
        for (String service : SERVICES) {
            write(project, service + "/pom.xml", "<project><artifactId>" + service + "</artifactId>\n"
                    + "<dependencies><dependency><artifactId>platform-common</artifactId></dependency></dependencies></project>\n");
            write(project, service + "/src/main/java/Example.java", "class Example {}\n");
            write(project, service + "/target/quarkus-app/quarkus-run.jar", "");
        }
        write(project, "e2e-tests/pom.xml", "<project><artifactId>e2e-tests</artifactId></project>\n");
        write(project, "e2e-tests/src/test/java/SomeIT.java", "class SomeIT {}\n");
        git(project, "init", "-q");
        git(project, "add", "-A");
        git(project, "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "project");
        return project;
    }

    private static void write(Path root, String path, String content) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), content);
    }

    /** A git command in the folder; its output, trimmed. */
    private static String git(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + output);
        return output.trim();
    }

    /** The script run from the project root, REGISTRY set to {@code registry} or (null) removed, the stubs first on PATH. */
    private Run run(String registry, String... options) throws IOException, InterruptedException {
        return run(SCRIPT, ROOT, Map.of(), registry, options);
    }

    /** A copy of the script (or the project's) run in {@code dir}, with {@code environment} added. */
    private Run run(Path script, Path dir, Map<String, String> environment, String registry, String... options)
            throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(script), script + " is an executable file");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path calls = temp.resolve("calls.log");
        for (String program : STUBBED) {
            Path stub = bin.resolve(program);
            Files.writeString(stub, "#!/bin/sh\necho \"" + program + " $*\" >> '" + calls + "'\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.deleteIfExists(calls);
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(Arrays.asList(options));
        Path stdout = temp.resolve("stdout");
        Path stderr = temp.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.remove("REGISTRY");
        env.remove("CONTAINER_TOOL");
        env.remove("RELEASE_DIR");
        env.putAll(environment);
        if (registry != null) {
            env.put("REGISTRY", registry);
        }
        env.put("PATH", bin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));

        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deploy/kubernetes/images did not end within 30 s");
        }
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr),
                Files.exists(calls) ? Files.readString(calls, StandardCharsets.UTF_8) : "");
    }

    /** Whether a file exists, and its time and content if so: what the script must not change. */
    private record Snapshot(boolean exists, FileTime modified, String content) {

        static Snapshot of(Path file) throws IOException {
            return Files.exists(file)
                    ? new Snapshot(true, Files.getLastModifiedTime(file), Files.readString(file))
                    : new Snapshot(false, null, null);
        }
    }
}
