package io.redisdiscovery.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter contributes no binding hints of its own: Spring Boot's AOT processing registers them for every
 * {@code @ConfigurationProperties} bean, which {@code @EnableConfigurationProperties} makes of
 * {@link RedisDiscoveryProperties}, with the registrar used here. These tests check that it reaches every nested type.
 */
class RedisDiscoveryPropertiesRuntimeHintsTests {

	private final RuntimeHints hints = bindingHints();

	@Test
	void nestedConfigurationPropertiesShouldBeBindable() throws NoSuchMethodException {
		for (Class<?> type : new Class<?>[] { RedisDiscoveryProperties.class, DnsProperties.class,
				SentinelProperties.class, ClusterProperties.class, RedisDiscoveryProperties.Retry.class,
				RedisDiscoveryProperties.Timeout.class, RedisDiscoveryProperties.Ssl.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DnsProperties.class.getMethod("setHostname", String.class))).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(RedisDiscoveryProperties.Retry.class.getMethod("setMaxAttempts", int.class)))
			.accepts(this.hints);
	}

	private static RuntimeHints bindingHints() {
		RuntimeHints hints = new RuntimeHints();
		BindableRuntimeHintsRegistrar.forTypes(RedisDiscoveryProperties.class)
			.registerHints(hints, RedisDiscoveryPropertiesRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
