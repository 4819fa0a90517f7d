package io.redisdiscovery.autoconfigure;

import java.time.Clock;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.dns.DnsLookupException;
import io.redisdiscovery.dns.DnsRecordLookup;
import io.redisdiscovery.dns.DnsSettings;
import io.redisdiscovery.dns.DnsTopologySource;
import io.redisdiscovery.dns.DrainingLettuceConnectionFactory;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeProbe;
import io.redisdiscovery.topology.TopologySource;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.util.Assert;

/**
 * DNS mode: builds the topology source and the connection factory from {@code redis.discovery.dns.*}.
 */
final class DnsModeSupport implements DiscoveryModeSupport {

	@Override
	public DiscoveryMode mode() {
		return DiscoveryMode.DNS;
	}

	@Override
	public void validate(RedisDiscoveryProperties properties) {
		DnsPropertiesValidator.validate(properties.getDns());
	}

	@Override
	public DnsTopologySource topologySource(RedisDiscoveryProperties properties, ClientResources resources,
			ClientOptions options, Function<@Nullable String, NodeProbe> probe, Clock clock) {
		DnsSettings settings = settings(properties);
		// The probe dials resolved IPs; with TLS it must verify certificates against the database hostname.
		DnsTopologySource source = new DnsTopologySource(settings,
				new DnsRecordLookup(settings.nameservers(), settings.queryTimeout()), resources.eventBus(),
				probe.apply(settings.hostname()), clock);
		try {
			source.start();
		}
		catch (DnsLookupException ex) {
			source.close();
			throw new InvalidDiscoveryPropertyException("redis.discovery.dns.hostname", ex.getMessage(),
					ex.isServerUnreachable()
							? "check that redis.discovery.dns.nameservers (or the system resolver) can be reached"
							: "check the hostname, or set redis.discovery.dns.fail-fast=false to start anyway");
		}
		return source;
	}

	@Override
	public RetryingLettuceConnectionFactory connectionFactory(RedisDiscoveryProperties properties,
			LettuceClientConfiguration clientConfiguration, TopologySource topology) {
		DnsProperties dns = properties.getDns();
		RedisStandaloneConfiguration configuration = DataNodeConfigurations.standalone(hostname(dns), dns.getPort(),
				properties);
		// In flight for longer than one command timeout, a command has failed anyway.
		return new DrainingLettuceConnectionFactory(configuration, clientConfiguration,
				properties.getTimeout().getCommand());
	}

	private static DnsSettings settings(RedisDiscoveryProperties properties) {
		DnsProperties dns = properties.getDns();
		return new DnsSettings(hostname(dns), dns.getPort(),
				DnsPropertiesValidator.parseNameservers(dns.getNameservers()), dns.getRefreshInterval(),
				dns.getMinTtl(), dns.getMaxTtl(), dns.getSelection(), dns.getCoolDown(), dns.getQueryTimeout(),
				RedisStartupCheck.failFast(properties.getStartup(), dns.isFailFast()));
	}

	private static String hostname(DnsProperties dns) {
		String hostname = dns.getHostname();
		Assert.state(hostname != null, "'hostname' must not be null");
		return hostname;
	}

}
