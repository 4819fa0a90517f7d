package io.redisdiscovery.autoconfigure;

import java.time.Clock;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.sentinel.FailoverWriteGuard;
import io.redisdiscovery.sentinel.ReadFromClientConfiguration;
import io.redisdiscovery.sentinel.SentinelClient;
import io.redisdiscovery.sentinel.SentinelSettings;
import io.redisdiscovery.sentinel.SentinelTopologySource;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.RedisStaticMasterReplicaConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.util.Assert;

/**
 * Sentinel mode: builds the topology source and Lettuce factory from {@code redis.discovery.sentinel.*}.
 */
final class SentinelConnectionSupport implements DiscoveryModeSupport {

	/** Placeholder port of the logical master address; the resolver replaces the whole address. */
	private static final int LOGICAL_PORT = 6379;

	@Override
	public DiscoveryMode mode() {
		return DiscoveryMode.SENTINEL;
	}

	@Override
	public void validate(RedisDiscoveryProperties properties) {
		SentinelPropertiesValidator.validate(properties.getSentinel(), properties.getTimeout().getCommand());
	}

	@Override
	public SentinelTopologySource topologySource(RedisDiscoveryProperties properties, ClientResources resources,
			ClientOptions options, Function<@Nullable String, NodeProbe> probe, Clock clock) {
		SentinelProperties sentinel = properties.getSentinel();
		String master = sentinel.getMaster();
		Assert.state(master != null, "'master' must not be null");
		SentinelSettings settings = new SentinelSettings(master,
				sentinel.getNodes().stream().map(RedisNode::parse).toList(),
				sentinel.getReadFrom() != SentinelProperties.ReadFrom.MASTER, sentinel.getCheckInterval(),
				properties.getTimeout().getCommand(), sentinel.getRefresh().getMinInterval());
		SentinelClient client = new SentinelClient(resources, options,
				new Credentials(sentinel.getUsername(), sentinel.getPassword()),
				DataNodeConfigurations.credentials(properties),
				properties.getTimeout().getCommand(), properties.getSsl().isEnabled());
		FailoverWriteGuard writeGuard = new FailoverWriteGuard(sentinel.getFailoverHold().isEnabled(),
				sentinel.getFailoverHold().getMaxDuration(), properties.getTimeout().getCommand(),
				sentinel.getWait().getReplicas(), sentinel.getWait().getTimeout());
		SentinelTopologySource source = new SentinelTopologySource(settings, client, writeGuard,
				resources.socketAddressResolver(), clock);
		source.start(RedisStartupCheck.failFast(properties.getStartup(), sentinel.isFailFast()));
		return source;
	}

	/**
	 * With {@code read-from=master}, a standalone factory on the logical master address, which the topology's
	 * resolver turns into the current master at every connect; otherwise a static master/replica factory over
	 * logical addresses, whose roles Lettuce probes at every (re)connect.
	 */
	@Override
	public RetryingLettuceConnectionFactory connectionFactory(RedisDiscoveryProperties properties,
			LettuceClientConfiguration clientConfiguration, TopologySource topology) {
		SentinelProperties sentinel = properties.getSentinel();
		String master = sentinel.getMaster();
		Assert.state(master != null, "'master' must not be null");
		RetryingLettuceConnectionFactory factory = switch (sentinel.getReadFrom()) {
			case MASTER -> new RetryingLettuceConnectionFactory(masterOnly(properties, master), clientConfiguration);
			case REPLICA_PREFERRED -> masterReplica(properties, topology, master, clientConfiguration,
					ReadFrom.REPLICA_PREFERRED);
			case REPLICA -> masterReplica(properties, topology, master, clientConfiguration, ReadFrom.REPLICA);
			case ANY -> masterReplica(properties, topology, master, clientConfiguration, ReadFrom.ANY);
		};
		return factory;
	}

	private static RedisStandaloneConfiguration masterOnly(RedisDiscoveryProperties properties, String master) {
		return DataNodeConfigurations.standalone(SentinelSettings.logicalMasterHost(master), LOGICAL_PORT, properties);
	}

	/**
	 * The logical master and one logical replica slot per replica known at startup (at least one): the topology's
	 * resolver maps each to a current node whenever Lettuce connects, so failovers and replaced replicas are
	 * followed without restarting.
	 */
	private static RetryingLettuceConnectionFactory masterReplica(RedisDiscoveryProperties properties,
			TopologySource topology, String master, LettuceClientConfiguration clientConfiguration,
			ReadFrom readFrom) {
		long replicas = topology.current()
			.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.role() == NodeRole.REPLICA)
			.count();
		RedisStaticMasterReplicaConfiguration configuration = new RedisStaticMasterReplicaConfiguration(
				SentinelSettings.logicalMasterHost(master), LOGICAL_PORT);
		for (int slot = 0; slot < Math.max(1, replicas); slot++) {
			configuration.addNode(SentinelSettings.logicalReplicaHost(master, slot), LOGICAL_PORT);
		}
		DataNodeConfigurations.authenticated(configuration, properties);
		return new RetryingLettuceConnectionFactory(configuration,
				new ReadFromClientConfiguration(clientConfiguration, readFrom));
	}

}
