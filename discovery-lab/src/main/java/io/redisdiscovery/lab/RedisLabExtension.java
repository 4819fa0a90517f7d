package io.redisdiscovery.lab;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects one {@link RedisLab} per test class (into {@code @BeforeAll} methods, constructors and
 * test methods alike) and closes it after all tests of the class.
 */
public final class RedisLabExtension implements ParameterResolver, AfterAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(RedisLabExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RedisLab.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return classContext(extensionContext).getStore(NAMESPACE)
			.computeIfAbsent(RedisLab.class, (key) -> new RedisLab(), RedisLab.class);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		@Nullable RedisLab lab = context.getStore(NAMESPACE).remove(RedisLab.class, RedisLab.class);
		if (lab != null) {
			lab.close();
		}
	}

	// Test-method contexts hang below their class context; the lab lives (and dies) with the class.
	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

}
