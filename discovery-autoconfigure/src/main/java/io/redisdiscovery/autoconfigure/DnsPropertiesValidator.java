package io.redisdiscovery.autoconfigure;

import java.net.InetSocketAddress;
import java.util.List;

import io.redisdiscovery.topology.RedisNode;

import org.springframework.util.StringUtils;

/**
 * Checks {@code redis.discovery.dns.*} at startup.
 */
final class DnsPropertiesValidator {

	private static final String PREFIX = "redis.discovery.dns.";

	private DnsPropertiesValidator() {
	}

	static void validate(DnsProperties dns) {
		String hostname = dns.getHostname();
		if (!StringUtils.hasText(hostname)) {
			fail("hostname", "it is not set", "set the database hostname whose A/AAAA records list its proxies");
		}
		if (isIpLiteral(hostname)) {
			fail("hostname", "'" + hostname + "' is an IP address, not a name to resolve",
					"set the database hostname, or use redis.discovery.mode=standalone for a fixed address");
		}
		if (dns.getPort() < 1 || dns.getPort() > 65535) {
			fail("port", "port " + dns.getPort() + " is outside 1-65535",
					"set the TCP port of the database, for example 12000");
		}
		nameservers(dns.getNameservers());
		PropertyChecks.positive(PREFIX + "refresh-interval", dns.getRefreshInterval());
		PropertyChecks.positive(PREFIX + "min-ttl", dns.getMinTtl());
		PropertyChecks.positive(PREFIX + "max-ttl", dns.getMaxTtl());
		PropertyChecks.positive(PREFIX + "cool-down", dns.getCoolDown());
		PropertyChecks.positive(PREFIX + "query-timeout", dns.getQueryTimeout());
		if (dns.getMinTtl().compareTo(dns.getMaxTtl()) > 0) {
			fail("min-ttl", "it is longer than redis.discovery.dns.max-ttl",
					"use a min-ttl no longer than max-ttl, for example 1s and 5m");
		}
	}

	/**
	 * Parses the nameservers; the values were validated before.
	 * @param nameservers the configured values
	 * @return the socket addresses, in order
	 */
	static List<InetSocketAddress> parseNameservers(List<String> nameservers) {
		return nameservers.stream().map(RedisNode::parse).map(DnsPropertiesValidator::socketAddress).toList();
	}

	private static void nameservers(List<String> nameservers) {
		for (int i = 0; i < nameservers.size(); i++) {
			String property = "nameservers[" + i + "]";
			RedisNode node;
			try {
				node = RedisNode.parse(nameservers.get(i));
			}
			catch (IllegalArgumentException ex) {
				fail(property, ex.getMessage(), "write each nameserver as ip:port, for example 10.0.0.2:53");
				return;
			}
			if (!isIpLiteral(node.host())) {
				fail(property, "'" + node.host() + "' is not an IP address",
						"write the nameserver's IP address, since resolving its name would need DNS itself");
			}
		}
	}

	private static InetSocketAddress socketAddress(RedisNode node) {
		return new InetSocketAddress(node.host(), node.port());
	}

	private static boolean isIpLiteral(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return io.netty.util.NetUtil.isValidIpV4Address(bare) || io.netty.util.NetUtil.isValidIpV6Address(bare);
	}

	private static void fail(String property, String problem, String fix) {
		throw new InvalidDiscoveryPropertyException(PREFIX + property, problem, fix);
	}

}
