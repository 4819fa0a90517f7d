package io.redisdiscovery.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One way an application can be set up to reach Redis: the starter, or Spring Boot alone.
 */
enum Variant {

	/** The starter with its defaults. */
	STARTER("starter") {
		@Override
		Map<String, Object> properties(Target target) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("redis.discovery.mode", target.mode());
			properties.put("redis.discovery." + target.mode() + ".host", target.host());
			properties.put("redis.discovery." + target.mode() + ".port", target.port());
			return properties;
		}
	},

	/** Spring Boot's own auto-configuration as its documentation describes it. */
	BOOT_DEFAULT("boot (defaults)") {
		@Override
		Map<String, Object> properties(Target target) {
			return Map.of("spring.data.redis.host", target.host(), "spring.data.redis.port", target.port());
		}
	},

	/** Spring Boot with every relevant property tuned (Boot has no retry to turn on). */
	BOOT_TUNED("boot (tuned timeouts)") {
		@Override
		Map<String, Object> properties(Target target) {
			return Map.of("spring.data.redis.host", target.host(), "spring.data.redis.port", target.port(),
					"spring.data.redis.timeout", "2s", "spring.data.redis.connect-timeout", "2s");
		}
	};

	private final String label;

	Variant(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	abstract Map<String, Object> properties(Target target);

	/**
	 * Starts an application context of this variant.
	 * @param target where Redis is
	 * @return the running context
	 */
	ConfigurableApplicationContext start(Target target) {
		Class<?> application = (this == STARTER) ? StarterApplication.class : BootApplication.class;
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties(target))
			.run();
	}

	static StringRedisTemplate template(ConfigurableApplicationContext context) {
		return context.getBean(StringRedisTemplate.class);
	}

	/**
	 * Where the application connects.
	 *
	 * @param mode the starter mode: {@code standalone} or {@code load-balancer}
	 * @param host the host
	 * @param port the port
	 */
	record Target(String mode, String host, int port) {

	}

	@ImportAutoConfiguration({ RedisDiscoveryAutoConfiguration.class, DataRedisAutoConfiguration.class })
	static class StarterApplication {

	}

	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class BootApplication {

	}

}
