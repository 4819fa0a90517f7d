package io.redisdiscovery.sample.lab;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.dns.LabDnsServer;
import io.redisdiscovery.lab.internal.FreePorts;

/**
 * A Redis Enterprise-like database: one server behind a proxy on each of three loopback addresses sharing one port,
 * and a DNS server whose answer names two of them.
 */
final class DnsLabTopology implements LabTopology {

	static final String HOSTNAME = "redis-db.sample.test";

	private static final List<String> ADDRESSES = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");

	private static final Duration TTL = Duration.ofSeconds(1);

	private final RedisServer database;

	private final LabDnsServer dns;

	private final int port;

	private int rotation;

	DnsLabTopology(RedisLab lab) {
		this.database = lab.startServer();
		this.dns = lab.startDnsServer();
		this.port = FreePorts.pickOnAll(ADDRESSES);
		ADDRESSES.forEach((address) -> lab.startProxy(address, this.port, this.database.address()));
		publishRecords();
	}

	@Override
	public String name() {
		return "dns";
	}

	@Override
	public Map<String, String> discoveryProperties() {
		return Map.of("redis.discovery.mode", "dns", "redis.discovery.dns.hostname", HOSTNAME,
				"redis.discovery.dns.port", String.valueOf(this.port), "redis.discovery.dns.nameservers",
				this.dns.hostAndPort());
	}

	@Override
	public List<LabFault> faults() {
		return List.of(new LabFault("change-dns-records", "Change the DNS records",
				"The answer moves on by one address (" + String.join(", ", ADDRESSES)
						+ " in turn): one address leaves, another joins."));
	}

	@Override
	public RedisServer primaryFor(String key) {
		return this.database;
	}

	@Override
	public synchronized void inject(String fault) {
		if (!"change-dns-records".equals(fault)) {
			throw new UnknownFaultException(name(), fault);
		}
		this.rotation++;
		publishRecords();
	}

	private synchronized void publishRecords() {
		String first = ADDRESSES.get(this.rotation % ADDRESSES.size());
		String second = ADDRESSES.get((this.rotation + 1) % ADDRESSES.size());
		this.dns.setRecords(HOSTNAME, TTL, first, second);
	}

}
