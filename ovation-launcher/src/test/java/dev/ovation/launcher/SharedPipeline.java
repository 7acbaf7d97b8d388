package dev.ovation.launcher;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One standalone for every integration test of the module that only needs a running pipeline,
 * instead of one each: a test class says {@code @ExtendWith(SharedPipeline.class)} and takes
 * parameters.
 * <ul>
 *   <li>{@link Pipeline}: the shared standalone, started by the first test that asks for it and
 *       stopped when the whole run is done (it lives in JUnit's root store, which closes it);</li>
 *   <li>{@link TestContest}: a new open contest, created through the admin API, one per test
 *       method, or one for the class when a {@code @BeforeAll} method asks (the same one for every
 *       parameter of that test or class).</li>
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(SharedPipeline.class)
 * class FinalsIT {
 *     @Test
 *     void shouldCountEveryVote(Pipeline ovation, TestContest contest) { ... contest.path("/results") ... }
 * }
 * }</pre>
 *
 * <p>A test that kills, restarts or reconfigures the pipeline (other settings, TLS, a warm-up) starts
 * a standalone of its own instead. docs/testing.md and CONTRIBUTING.md say when to use which.
 */
final class SharedPipeline implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPipeline.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Pipeline.class || type == TestContest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Pipeline pipeline = pipeline(context);
        if (parameter.getParameter().getType() == Pipeline.class) {
            return pipeline;
        }
        // keyed by the asking context (a class or a test method), so that a test never inherits its class's contest
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("contest " + context.getUniqueId(),
                key -> pipeline.createContest(context.getRequiredTestClass().getSimpleName(), "{}"), TestContest.class);
    }

    /** The shared standalone, started on first use; the root store closes it at the end of the run. */
    private static Pipeline pipeline(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Pipeline.class, key -> {
            try {
                return Pipeline.start();
            } catch (Exception e) {
                throw new ParameterResolutionException("the shared standalone did not start: " + e, e);
            }
        }, Pipeline.class);
    }
}
