package io.dotmac.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * {@code @ExtendWith(SuiteExtension.class)}: the running {@link Suite} (started by the first test
 * class that needs it, stopped once every test of the JVM has run) as a {@link Suite} parameter. A
 * failing test's report ends with where each service logs and the last lines of each log.
 */
public class SuiteExtension implements BeforeAllCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SuiteExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Suite suite = Suite.get();
        // The root store closes what it holds when the whole test plan is done.
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("suite", key -> new Stopper(suite), Stopper.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == Suite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return Suite.get();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Suite suite = Suite.get();
        failure.addSuppressed(new ServiceLogs(suite.diagnostics(25)));
        System.out.println("[e2e] " + context.getDisplayName() + " failed; " + suite.logPaths());
        throw failure;
    }

    /** Carries the services' log paths and tails into a failure's report. */
    static final class ServiceLogs extends RuntimeException {
        ServiceLogs(String text) {
            super(text, null, false, false);
        }
    }

    private record Stopper(Suite suite) implements AutoCloseable {
        @Override
        public void close() {
            suite.close();
        }
    }
}
