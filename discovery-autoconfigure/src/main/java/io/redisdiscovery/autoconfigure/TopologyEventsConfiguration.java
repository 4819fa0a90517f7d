package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.topology.TopologyChangeLog;
import io.redisdiscovery.topology.TopologySource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the recent topology changes and republishes each one as a
 * {@link io.redisdiscovery.topology.RedisTopologyChangedEvent}, off the source's thread (see
 * {@link TopologyChangedEventRelay}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBean(TopologySource.class)
class TopologyEventsConfiguration {

	private static final int KEPT_CHANGES = 50;

	@Bean
	@ConditionalOnMissingBean
	TopologyChangeLog redisTopologyChangeLog(TopologySource topology) {
		TopologyChangeLog log = new TopologyChangeLog(KEPT_CHANGES);
		topology.addListener(log);
		return log;
	}

	@Bean
	TopologyChangedEventRelay redisTopologyChangedEventRelay(TopologySource topology,
			ApplicationEventPublisher publisher) {
		TopologyChangedEventRelay relay = new TopologyChangedEventRelay(topology, publisher);
		topology.addListener(relay);
		return relay;
	}

}
