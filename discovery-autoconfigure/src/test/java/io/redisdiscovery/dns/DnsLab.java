package io.redisdiscovery.dns;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.lab.internal.FreePorts;
import io.redisdiscovery.lab.proxy.TcpProxy;
import io.redisdiscovery.test.DiscoveryContextRunners;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A Redis Enterprise-like database on loopback: one master, a proxy per address on one shared port in front of it,
 * and a DNS server whose records name the proxies.
 */
final class DnsLab {

	static final String HOSTNAME = "db.lab.test";

	static final List<String> ADDRESSES = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");

	final RedisServer master;

	final LabDnsServer dns;

	final int port;

	final Map<String, TcpProxy> proxies = new LinkedHashMap<>();

	DnsLab(RedisLab lab) {
		this.master = lab.startServer();
		this.dns = lab.startDnsServer();
		this.port = FreePorts.pickOnAll(ADDRESSES);
		for (String address : ADDRESSES) {
			this.proxies.put(address, lab.startProxy(address, this.port, this.master.address()));
		}
	}

	void records(Duration ttl, String... addresses) {
		this.dns.setRecords(HOSTNAME, ttl, addresses);
	}

	TcpProxy proxy(String address) {
		return this.proxies.get(address);
	}

	/**
	 * The proxy that carries the application's shared connection (probes come and go).
	 */
	TcpProxy proxyInUse() {
		return this.proxies.values()
			.stream()
			.filter((proxy) -> proxy.activeConnections() > 0)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No proxy has a connection"));
	}

	ApplicationContextRunner contextRunner() {
		return DiscoveryContextRunners.withStarter()
			.withPropertyValues("redis.discovery.mode=dns", "redis.discovery.dns.hostname=" + HOSTNAME,
					"redis.discovery.dns.port=" + this.port,
					"redis.discovery.dns.nameservers=" + this.dns.hostAndPort(),
					"redis.discovery.dns.query-timeout=300ms");
	}

}
