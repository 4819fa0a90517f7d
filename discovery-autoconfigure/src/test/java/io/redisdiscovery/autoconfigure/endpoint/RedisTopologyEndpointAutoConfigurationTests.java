package io.redisdiscovery.autoconfigure.endpoint;

import io.redisdiscovery.actuate.RedisTopologyEndpoint;
import io.redisdiscovery.actuate.RedisTopologyPathMapper;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RedisTopologyEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class, RedisTopologyEndpointAutoConfiguration.class));

	@Test
	void runWhenExposedShouldCreateEndpointWithDashedPath() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redistopology")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTopologyEndpoint.class);
				assertThat(context.getBean(RedisTopologyPathMapper.class)
					.getRootPath(EndpointId.of(RedisTopologyEndpoint.ID))).isEqualTo("redis-topology");
			});
	}

	@Test
	void runWhenNotExposedShouldNotCreateEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RedisTopologyEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotCreateEndpoint() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=redistopology",
					"management.endpoint.redistopology.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisTopologyEndpoint.class));
	}

	@Test
	void runWhenExposedOverJmxShouldCreateEndpoint() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=redistopology")
			.run((context) -> assertThat(context).hasSingleBean(RedisTopologyEndpoint.class));
	}

	@Test
	void runWhenActuatorIsAbsentShouldNotCreateEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redistopology")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisTopologyEndpoint.class));
	}

}
