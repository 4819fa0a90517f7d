package io.redisdiscovery.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * Connection details as {@code @ServiceConnection} or Docker Compose would contribute them, without Docker.
 */
final class TestConnectionDetails implements DataRedisConnectionDetails {

	private final @Nullable Standalone standalone;

	private final @Nullable Sentinel sentinel;

	private final @Nullable Cluster cluster;

	private final @Nullable String password;

	private TestConnectionDetails(@Nullable Standalone standalone, @Nullable Sentinel sentinel,
			@Nullable Cluster cluster, @Nullable String password) {
		this.standalone = standalone;
		this.sentinel = sentinel;
		this.cluster = cluster;
		this.password = password;
	}

	static TestConnectionDetails standalone(String host, int port, int database, @Nullable String password) {
		return new TestConnectionDetails(Standalone.of(host, port, database), null, null, password);
	}

	static TestConnectionDetails sentinel(String master, List<String> nodes, @Nullable String password,
			@Nullable String sentinelPassword) {
		Sentinel sentinel = new Sentinel() {

			@Override
			public int getDatabase() {
				return 0;
			}

			@Override
			public String getMaster() {
				return master;
			}

			@Override
			public List<Node> getNodes() {
				return nodes(nodes);
			}

			@Override
			public @Nullable String getUsername() {
				return null;
			}

			@Override
			public @Nullable String getPassword() {
				return sentinelPassword;
			}

		};
		return new TestConnectionDetails(null, sentinel, null, password);
	}

	static TestConnectionDetails cluster(List<String> nodes) {
		return new TestConnectionDetails(null, null, () -> nodes(nodes), null);
	}

	@Override
	public @Nullable String getPassword() {
		return this.password;
	}

	@Override
	public @Nullable Standalone getStandalone() {
		return this.standalone;
	}

	@Override
	public @Nullable Sentinel getSentinel() {
		return this.sentinel;
	}

	@Override
	public @Nullable Cluster getCluster() {
		return this.cluster;
	}

	private static List<Node> nodes(List<String> hostAndPorts) {
		return hostAndPorts.stream().map((hostAndPort) -> {
			int colon = hostAndPort.lastIndexOf(':');
			return new Node(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
		}).toList();
	}

}
