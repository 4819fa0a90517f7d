package io.redisdiscovery.retry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * The reflective calls of the connection handles: they throw what the target threw, as a direct call would.
 */
final class Invocations {

	private Invocations() {
	}

	static @Nullable Object invoke(Object target, Method method, @Nullable Object @Nullable [] args) throws Exception {
		// Spring Data's reactive connection and cluster command classes are package-private.
		if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
			ReflectionUtils.makeAccessible(method);
		}
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
