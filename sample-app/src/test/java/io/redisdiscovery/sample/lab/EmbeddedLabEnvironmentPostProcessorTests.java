package io.redisdiscovery.sample.lab;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EmbeddedLabEnvironmentPostProcessor} that start no lab.
 */
class EmbeddedLabEnvironmentPostProcessorTests {

	private final EmbeddedLabEnvironmentPostProcessor postProcessor = new EmbeddedLabEnvironmentPostProcessor(
			new DeferredLogs());

	@Test
	void topologyNoneLeavesTheConfigurationAsWritten() {
		MockEnvironment environment = new MockEnvironment().withProperty("redis.discovery.mode", "sentinel")
			.withProperty("sample.lab.topology", "none");
		SpringApplication application = new SpringApplication();
		int initializers = application.getInitializers().size();
		this.postProcessor.postProcessEnvironment(environment, application);
		assertThat(environment.getPropertySources()
			.contains(EmbeddedLabEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(application.getInitializers()).hasSize(initializers);
	}

	@Test
	void unknownTopologyFailsNamingThePropertyAndTheAllowedValues() {
		MockEnvironment environment = new MockEnvironment().withProperty("sample.lab.topology", "kubernetes");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessage("Unknown value 'kubernetes' of 'sample.lab.topology'; use one of "
					+ "[standalone, dns, sentinel, cluster, load-balancer] or 'none'");
	}

}
