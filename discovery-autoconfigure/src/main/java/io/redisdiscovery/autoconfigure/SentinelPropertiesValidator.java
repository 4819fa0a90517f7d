package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.redisdiscovery.topology.RedisNode;

import org.springframework.util.StringUtils;

/**
 * Checks {@code redis.discovery.sentinel.*} at startup.
 */
final class SentinelPropertiesValidator {

	private static final String PREFIX = "redis.discovery.sentinel.";

	private SentinelPropertiesValidator() {
	}

	static void validate(SentinelProperties sentinel, Duration commandTimeout) {
		String master = sentinel.getMaster();
		if (!StringUtils.hasText(master)) {
			fail("master", "it is not set", "set the name of the master group the Sentinels monitor, for example mymaster");
		}
		if (StringUtils.containsWhitespace(master)) {
			fail("master", "it contains white space", "use the group name exactly as in 'sentinel monitor <name>'");
		}
		nodes(sentinel.getNodes());
		PropertyChecks.usernameHasPassword(PREFIX, sentinel.getUsername(), sentinel.getPassword());
		PropertyChecks.positive(PREFIX + "check-interval", sentinel.getCheckInterval());
		PropertyChecks.positive(PREFIX + "refresh.min-interval", sentinel.getRefresh().getMinInterval());
		PropertyChecks.positive(PREFIX + "failover-hold.max-duration", sentinel.getFailoverHold().getMaxDuration());
		SentinelProperties.Wait wait = sentinel.getWait();
		if (wait.getReplicas() < 0) {
			fail("wait.replicas", "it is negative", "use 0 to turn WAIT off, or the number of replicas to wait for");
		}
		PropertyChecks.positive(PREFIX + "wait.timeout", wait.getTimeout());
		if (wait.getReplicas() > 0 && wait.getTimeout().compareTo(commandTimeout) >= 0) {
			fail("wait.timeout", "it is not shorter than redis.discovery.timeout.command (" + commandTimeout + ")",
					"use a WAIT timeout shorter than the command timeout, which also bounds WAIT");
		}
	}

	private static void nodes(List<String> nodes) {
		if (nodes.isEmpty()) {
			fail("nodes", "it is empty", "list the Sentinels as host:port, for example sentinel-1:26379,sentinel-2:26379");
		}
		for (int i = 0; i < nodes.size(); i++) {
			String node = nodes.get(i);
			if (!StringUtils.hasText(node)) {
				fail("nodes[" + i + "]", "it is empty", "write each Sentinel as host:port");
			}
			try {
				RedisNode.parse(node);
			}
			catch (IllegalArgumentException ex) {
				fail("nodes[" + i + "]", ex.getMessage(), "write each Sentinel as host:port, IPv6 as [address]:port");
			}
		}
	}

	private static void fail(String property, String problem, String fix) {
		throw new InvalidDiscoveryPropertyException(PREFIX + property, problem, fix);
	}

}
