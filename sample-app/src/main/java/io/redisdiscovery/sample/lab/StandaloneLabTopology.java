package io.redisdiscovery.sample.lab;

import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RedisServerOptions;

/**
 * One Redis server with persistence, so a restart keeps the data.
 */
final class StandaloneLabTopology implements LabTopology {

	private final RedisServer server;

	StandaloneLabTopology(RedisLab lab) {
		this.server = lab.startServer(RedisServerOptions.defaults().withPersistence());
	}

	@Override
	public String name() {
		return "standalone";
	}

	@Override
	public Map<String, String> discoveryProperties() {
		return Map.of("redis.discovery.mode", "standalone", "redis.discovery.standalone.host", this.server.host(),
				"redis.discovery.standalone.port", String.valueOf(this.server.port()));
	}

	@Override
	public List<LabFault> faults() {
		return List.of(new LabFault("restart-server", "Restart the server",
				"Stops Redis and starts it again on the same port; the starter reconnects and retries meanwhile."));
	}

	@Override
	public RedisServer primaryFor(String key) {
		return this.server;
	}

	@Override
	public void inject(String fault) {
		if (!"restart-server".equals(fault)) {
			throw new UnknownFaultException(name(), fault);
		}
		this.server.restart();
	}

}
