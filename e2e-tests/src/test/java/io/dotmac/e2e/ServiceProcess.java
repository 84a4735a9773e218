package io.dotmac.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service as a child process: {@code java -jar <module>/target/quarkus-app/quarkus-run.jar} with
 * the environment and system properties the {@link Suite} chose, its output appended to its own log
 * file. It can be stopped (SIGTERM), killed (SIGKILL) and started again on the same port with the
 * same configuration, which is what restart and outage tests need.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final int port;
    private final Path moduleDir;
    private final Path jar;
    private final Path log;
    private final Path pidFile;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final Map<String, String> properties;
    private volatile Process process;
    private volatile Instant startedAt;

    ServiceProcess(Service service, int port, Path moduleDir, Path log, Path pidFile, List<String> jvmOptions,
                   Map<String, String> environment, Map<String, String> properties) {
        this.service = service;
        this.port = port;
        this.moduleDir = moduleDir;
        this.jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        this.log = log;
        this.pidFile = pidFile;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.environment = new LinkedHashMap<>(environment);
        this.properties = new LinkedHashMap<>(properties);
    }

    public Service service() {
        return service;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public Path jar() {
        return jar;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Starts the process (not waiting for it to be ready); a running one is left as it is. */
    public synchronized void start() {
        if (isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(moduleDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // A clean environment: only what the suite sets (and what a JVM needs), so that variables of
        // the shell that runs Maven (a developer's JWT_PUBLIC_KEY, say) change nothing.
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = new LinkedHashMap<>(env);
        env.clear();
        for (String keep : List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME")) {
            if (inherited.containsKey(keep)) {
                env.put(keep, inherited.get(keep));
            }
        }
        env.putAll(environment);
        try {
            Files.writeString(log, "=== " + LocalTime.now() + " starting " + service.module() + " on port " + port + ": "
                    + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
            startedAt = Instant.now();
            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.module() + " (" + jar + ")", e);
        }
    }

    /** Whether {@code /q/health/ready} answers UP. */
    public boolean isReady() {
        if (!isAlive()) {
            return false;
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until ready; fails at once, with the end of its log, if the process exits first. */
    public void awaitReady(Duration timeout) {
        awaitAllReady(List.of(this), timeout);
    }

    /** Waits until every one is ready, failing as soon as one of them exits. */
    public static void awaitAllReady(List<ServiceProcess> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(processes);
        while (!waiting.isEmpty()) {
            for (ServiceProcess p : List.copyOf(waiting)) {
                if (!p.isAlive()) {
                    Process dead = p.process;
                    throw new IllegalStateException(p.service.module() + " exited"
                            + (dead == null ? " (never started)" : " with code " + dead.exitValue())
                            + " before it was ready; its log: " + p.log + "\n" + p.tail(40));
                }
                if (p.isReady()) {
                    waiting.remove(p);
                    System.out.printf("[e2e] %-21s ready on %s in %d ms (pid %d)%n", p.service.module(), p.url(),
                            Duration.between(p.startedAt, Instant.now()).toMillis(), p.pid());
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder message = new StringBuilder("not ready within " + timeout.toSeconds() + " s:");
                for (ServiceProcess p : waiting) {
                    message.append("\n--- ").append(p.service.module()).append(" (").append(p.log).append(")\n")
                            .append(p.tail(30));
                }
                throw new IllegalStateException(message.toString());
            }
            sleep(250);
        }
    }

    /** SIGTERM, a graceful shutdown; SIGKILL if it has not exited within {@code grace}. */
    public synchronized void stop(Duration grace) {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        forget();
    }

    /** SIGKILL: the process dies at once, mid-whatever it was doing (no shutdown hooks, no graceful close). */
    public synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forget();
    }

    /** Stops it (gracefully) and starts it again on the same port, waiting until it is ready. */
    public void restart(Duration readyTimeout) {
        stop(Duration.ofSeconds(20));
        startAndAwaitReady(readyTimeout);
    }

    /** Starts it (a running one is left as it is) and waits until it is ready. */
    public void startAndAwaitReady(Duration readyTimeout) {
        start();
        awaitReady(readyTimeout);
    }

    private void forget() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // only a hint for the next run's clean-up
        }
        appendToLog("=== " + LocalTime.now() + " " + service.module() + " stopped (exit code "
                + (process.isAlive() ? "?" : process.exitValue()) + ")");
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is for people; never fail a stop because of it
        }
    }

    /** The last {@code lines} lines of its log. */
    public String tail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = lines();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Every line of its log that contains {@code text}. */
    public List<String> logLinesContaining(String text) {
        try {
            return lines().stream().filter(line -> line.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Decoded leniently: a log is not guaranteed to be valid UTF-8.
    private List<String> lines() throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return service.module() + "@" + url() + " (pid " + pid() + ", log " + log + ")";
    }
}
