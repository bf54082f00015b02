package io.wavestore.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;

/**
 * Gives a test class its own empty database on the shared {@link PostgresServer}: annotate the
 * class with {@code @ExtendWith(PostgresExtension.class)} and take a {@link TestDatabase} parameter
 * in a constructor, a lifecycle method, or a test. Every parameter in one test class gets the same
 * database.
 */
public final class PostgresExtension extends TypeBasedParameterResolver<TestDatabase> {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public TestDatabase resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(testClass.getName(), name -> TestDatabase.create(), TestDatabase.class);
    }
}
