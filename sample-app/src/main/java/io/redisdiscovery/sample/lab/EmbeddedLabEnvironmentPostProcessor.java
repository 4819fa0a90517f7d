package io.redisdiscovery.sample.lab;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the lab topology named by {@code sample.lab.topology} (by default the one matching
 * {@code redis.discovery.mode}) before the context refreshes, points {@code redis.discovery.*} at it, and hands the lab
 * to the context, which closes it. Not while the application or a test is processed ahead of time: that runs at build
 * time, where a lab would be Redis processes the build leaves behind and a bean AOT cannot generate code for; the
 * lab starts when the processed application or test runs.
 */
class EmbeddedLabEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String TOPOLOGY_PROPERTY = "sample.lab.topology";

	static final String PROPERTY_SOURCE_NAME = "sampleEmbeddedLab";

	static final String BEAN_NAME = "sampleEmbeddedLab";

	private static final String NONE = "none";

	private final Log logger;

	EmbeddedLabEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedLabEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)
				|| Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return;
		}
		String topology = environment.getProperty(TOPOLOGY_PROPERTY,
				environment.getProperty("redis.discovery.mode", NONE));
		if (NONE.equals(topology)) {
			this.logger.info("No embedded lab (" + TOPOLOGY_PROPERTY + "=none): using redis.discovery.* as configured");
			return;
		}
		if (!EmbeddedLab.TOPOLOGIES.contains(topology)) {
			throw new IllegalStateException("Unknown value '" + topology + "' of '" + TOPOLOGY_PROPERTY
					+ "'; use one of " + EmbeddedLab.TOPOLOGIES + " or 'none'");
		}
		EmbeddedLab lab = EmbeddedLab.start(topology);
		Map<String, Object> properties = new LinkedHashMap<>(lab.discoveryProperties());
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		this.logger.info("Started the embedded " + topology + " lab: " + properties);
		application.addInitializers((context) -> {
			if (context instanceof GenericApplicationContext generic) {
				generic.registerBean(BEAN_NAME, EmbeddedLab.class, () -> lab);
			}
			else {
				context.getBeanFactory().registerSingleton(BEAN_NAME, lab);
				context.addApplicationListener((ContextClosedEvent event) -> lab.close());
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
