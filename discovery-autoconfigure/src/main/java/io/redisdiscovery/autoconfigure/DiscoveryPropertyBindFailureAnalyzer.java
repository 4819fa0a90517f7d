package io.redisdiscovery.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a {@code redis.discovery.*} value that cannot be converted, listing the allowed values of enums in
 * the form users write them ({@code load-balancer}). Runs before Spring Boot's generic bind analyzer.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class DiscoveryPropertyBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	private static final String PREFIX = "redis.discovery.";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String name = cause.getName().toString();
		if (!name.startsWith(PREFIX)) {
			return null;
		}
		ConfigurationProperty property = cause.getProperty();
		String value = (property == null || isSecret(name)) ? "(hidden)" : String.valueOf(property.getValue());
		Class<?> type = cause.getTarget().getType().resolve(Object.class);
		String origin = (cause.getOrigin() != null) ? " (from " + cause.getOrigin() + ")" : "";
		String description = "The property '" + name + "' has the value '" + value + "'" + origin
				+ ", which is not a valid " + describe(type) + ".";
		return new FailureAnalysis(description, "Set '" + name + "' to " + allowed(type) + ".", cause);
	}

	private static boolean isSecret(String name) {
		return name.endsWith("password");
	}

	private static String describe(Class<?> type) {
		return type.isEnum() ? "choice" : type.getSimpleName();
	}

	private static String allowed(Class<?> type) {
		if (type.isEnum()) {
			return "one of: " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		if (type == java.time.Duration.class) {
			return "a duration such as 500ms, 2s or 1m";
		}
		return "a valid " + type.getSimpleName();
	}

}
