package io.redisdiscovery.sample.lab;

import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.proxy.TcpProxy;

/**
 * One database behind two proxies (127.0.0.2 and 127.0.0.3) behind one round-robin TCP load balancer.
 */
final class LoadBalancerLabTopology implements LabTopology {

	private final RedisServer database;

	private final TcpProxy balancer;

	private final List<TcpProxy> backends;

	LoadBalancerLabTopology(RedisLab lab) {
		this.database = lab.startServer();
		this.backends = List.of(lab.startProxy("127.0.0.2", this.database.address()),
				lab.startProxy("127.0.0.3", this.database.address()));
		this.balancer = lab.startProxy(this.backends.get(0).address(), this.backends.get(1).address());
	}

	@Override
	public String name() {
		return "load-balancer";
	}

	@Override
	public Map<String, String> discoveryProperties() {
		return Map.of("redis.discovery.mode", "load-balancer", "redis.discovery.load-balancer.host",
				this.balancer.host(), "redis.discovery.load-balancer.port", String.valueOf(this.balancer.port()));
	}

	@Override
	public List<LabFault> faults() {
		return List.of(new LabFault("kill-backend", "Kill a load-balancer backend",
				"The proxy carrying the connections drops them and refuses new ones; the other proxy is (back) up."));
	}

	@Override
	public RedisServer primaryFor(String key) {
		return this.database;
	}

	@Override
	public void inject(String fault) {
		if (!"kill-backend".equals(fault)) {
			throw new UnknownFaultException(name(), fault);
		}
		TcpProxy victim = this.backends.stream()
			.filter((backend) -> backend.activeConnections() > 0)
			.findFirst()
			.orElse(this.backends.get(0));
		this.backends.stream().filter((backend) -> backend != victim).forEach((backend) -> backend.refuseNewConnections(false));
		victim.refuseNewConnections(true);
		victim.killConnections();
	}

}
