package io.redisdiscovery.autoconfigure.endpoint;

import io.github.resilience4j.retry.Retry;
import io.redisdiscovery.actuate.RedisTopologyEndpoint;
import io.redisdiscovery.actuate.RedisTopologyPathMapper;
import io.redisdiscovery.autoconfigure.RedisDiscoveryAutoConfiguration;
import io.redisdiscovery.topology.TopologyChangeLog;
import io.redisdiscovery.topology.TopologySource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code redis-topology} endpoint. Expose it over the web with
 * {@code management.endpoints.web.exposure.include=redistopology}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisDiscoveryAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({ TopologySource.class, TopologyChangeLog.class })
@ConditionalOnAvailableEndpoint(RedisTopologyEndpoint.class)
public final class RedisTopologyEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisTopologyEndpoint redisTopologyEndpoint(TopologySource topology, TopologyChangeLog changes,
			@Qualifier(RedisDiscoveryAutoConfiguration.RETRY_BEAN_NAME) ObjectProvider<Retry> retry) {
		return new RedisTopologyEndpoint(topology, changes, retry.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisTopologyPathMapper redisTopologyPathMapper() {
		return new RedisTopologyPathMapper();
	}

}
