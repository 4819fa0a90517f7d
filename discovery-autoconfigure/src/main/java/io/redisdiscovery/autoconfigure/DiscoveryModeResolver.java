package io.redisdiscovery.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.redisdiscovery.topology.DiscoveryMode;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;

/**
 * Settles the mode when {@code redis.discovery.mode} is not set, from the one mode section that is configured.
 */
final class DiscoveryModeResolver {

	private static final Map<DiscoveryMode, ConfigurationPropertyName> SECTIONS = sections();

	private DiscoveryModeResolver() {
	}

	/**
	 * The mode in use: the configured one, else the one inferred from the configured section. The properties are
	 * left as bound (an inferred mode shows in {@code /actuator/redis-topology}, not in {@code configprops}).
	 * @param properties the bound properties
	 * @param environment the environment they were bound from
	 * @return the mode in use
	 * @throws InvalidDiscoveryPropertyException when several mode sections are configured without a mode
	 */
	static DiscoveryMode resolve(RedisDiscoveryProperties properties, Environment environment) {
		DiscoveryMode mode = properties.getMode();
		return (mode != null) ? mode : infer(configuredSections(environment));
	}

	/**
	 * Whether {@code redis.discovery.*} says where the endpoint is: the mode, or the section of a mode, is set.
	 * @param properties the bound properties
	 * @param environment the environment they were bound from
	 * @return whether the endpoint is configured
	 */
	static boolean isConfigured(RedisDiscoveryProperties properties, Environment environment) {
		return properties.getMode() != null || !configuredSections(environment).isEmpty();
	}

	private static DiscoveryMode infer(List<DiscoveryMode> configured) {
		if (configured.size() > 1) {
			String sections = configured.stream()
				.map((mode) -> "'" + SECTIONS.get(mode) + "'")
				.collect(Collectors.joining(", "));
			String choices = configured.stream().map(DiscoveryMode::propertyValue)
				.collect(Collectors.joining(" or "));
			throw new InvalidDiscoveryPropertyException("redis.discovery.mode",
					"it is not set and several mode sections are configured (" + sections + ")",
					"set redis.discovery.mode to " + choices + ", or remove the sections of the modes you do not use");
		}
		return configured.isEmpty() ? DiscoveryMode.STANDALONE : configured.get(0);
	}

	private static List<DiscoveryMode> configuredSections(Environment environment) {
		Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
		List<DiscoveryMode> configured = new ArrayList<>();
		SECTIONS.forEach((mode, section) -> {
			for (ConfigurationPropertySource source : sources) {
				if (source.containsDescendantOf(section) == ConfigurationPropertyState.PRESENT) {
					configured.add(mode);
					return;
				}
			}
		});
		return configured;
	}

	private static Map<DiscoveryMode, ConfigurationPropertyName> sections() {
		Map<DiscoveryMode, ConfigurationPropertyName> sections = new LinkedHashMap<>();
		for (DiscoveryMode mode : DiscoveryMode.values()) {
			sections.put(mode, ConfigurationPropertyName.of("redis.discovery." + mode.propertyValue()));
		}
		return sections;
	}

}
