package io.redisdiscovery.autoconfigure;

import java.util.stream.Collectors;

import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * With {@code redis.discovery.startup=fail-fast}, sends one PING through the new connection factory, without
 * retry, and fails startup when it gets no answer.
 */
final class RedisStartupCheck implements InitializingBean {

	private final LettuceConnectionFactory connectionFactory;

	private final TopologySource topology;

	private final DiscoveryMode mode;

	RedisStartupCheck(LettuceConnectionFactory connectionFactory, TopologySource topology, DiscoveryMode mode) {
		this.connectionFactory = connectionFactory;
		this.topology = topology;
		this.mode = mode;
	}

	/**
	 * Whether a mode's own discovery check runs at startup.
	 * @param startup the configured {@code redis.discovery.startup}, which wins when set
	 * @param modeFailFast the mode's own {@code fail-fast} setting
	 * @return whether to fail when discovery fails at startup
	 */
	static boolean failFast(@Nullable StartupBehavior startup, boolean modeFailFast) {
		return (startup != null) ? startup == StartupBehavior.FAIL_FAST : modeFailFast;
	}

	@Override
	public void afterPropertiesSet() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.ping();
		}
		catch (RuntimeException ex) {
			throw new RedisUnavailableAtStartupException(this.mode, endpoints(), ex);
		}
	}

	private String endpoints() {
		String endpoints = this.topology.current()
			.endpoints()
			.stream()
			.map(TopologyEndpoint::node)
			.map(Object::toString)
			.collect(Collectors.joining(", "));
		return endpoints.isEmpty() ? "none discovered" : endpoints;
	}

}
