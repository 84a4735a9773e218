package io.dotmac.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/kubernetes/images checks what it needs before it builds anything: run without a REGISTRY (unset or empty)
 * it fails with a message on stderr that says what to set and how (the "done when"), and an unknown option
 * or overlay gets the usage and a non-zero exit; in each case nothing was built, pushed or written. The script itself
 * runs, with {@code docker}, {@code podman} and {@code mvn} on its PATH replaced by stubs that only record being
 * called, so the check needs no container engine or Maven, takes a second, and shows the script called none of
 * them and left the release overlay (deploy/kubernetes/release/kustomization.yaml) as it was.
 */
class ImagesScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("e2e.project-root", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("deploy/kubernetes/images");
    private static final Path OVERLAY = ROOT.resolve("deploy/kubernetes/release/kustomization.yaml");
    /** The programs the script builds, pushes and packages with. */
    private static final List<String> STUBBED = List.of("docker", "podman", "mvn");
    private static final String EXAMPLE_REGISTRY = "registry.example.com/acme";

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

    /** The script run from the project root, REGISTRY set to {@code registry} or (null) removed, the stubs first on PATH. */
    private Run run(String registry, String... options) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is an executable file");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path calls = temp.resolve("calls.log");
        for (String program : STUBBED) {
            Path stub = bin.resolve(program);
            Files.writeString(stub, "#!/bin/sh\necho \"" + program + " $*\" >> '" + calls + "'\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(Arrays.asList(options));
        Path stdout = temp.resolve("stdout");
        Path stderr = temp.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.remove("REGISTRY");
        env.remove("CONTAINER_TOOL");
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
