package io.redisdiscovery.sentinel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.redisdiscovery.topology.Credentials;
import io.redisdiscovery.topology.LettuceCompatibility;
import io.redisdiscovery.topology.NodeClient;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Talks to Sentinels (asking for the master and its replicas, subscribing to their events) and asks data nodes
 * for their role, each over connections bounded by the starter's timeouts.
 *
 * @since 0.1.0
 */
public final class SentinelClient implements AutoCloseable {

	private final NodeClient shortLived;

	private final RedisClient subscriber;

	private final Credentials sentinelCredentials;

	private final Credentials dataCredentials;

	private final Duration timeout;

	/**
	 * Creates a client.
	 * @param resources the shared client resources, without the starter's address resolver (not shut down here)
	 * @param options the application's client options
	 * @param sentinelCredentials how to log in to Sentinels
	 * @param dataCredentials how to log in to data nodes
	 * @param timeout bound on connecting and on each command
	 * @param ssl whether to use TLS
	 */
	public SentinelClient(ClientResources resources, ClientOptions options, Credentials sentinelCredentials,
			Credentials dataCredentials, Duration timeout, boolean ssl) {
		this.shortLived = new NodeClient(resources, options, timeout, ssl, null);
		// Sentinels send no maintenance notifications (Lettuce 7) and answer the command that enables them with an
		// error. Subscriptions reconnect by themselves and subscribe again when the Sentinel comes back.
		this.subscriber = RedisClient.create(resources);
		this.subscriber.setOptions(LettuceCompatibility.disableMaintNotifications(options.mutate())
			.socketOptions(options.getSocketOptions().mutate().connectTimeout(timeout).build())
			.autoReconnect(true)
			.build());
		this.sentinelCredentials = sentinelCredentials;
		this.dataCredentials = dataCredentials;
		this.timeout = timeout;
	}

	/**
	 * Asks one Sentinel where the master is and which replicas it has.
	 * @param sentinel the Sentinel
	 * @param masterName the master group
	 * @return the answer; its master is {@code null} when the Sentinel does not know the group
	 * @throws RuntimeException when the Sentinel cannot be reached or fails
	 */
	public SentinelAnswer ask(RedisNode sentinel, String masterName) {
		// A plain connection: Lettuce's Sentinel connection logs a warning for every Sentinel that is down.
		return this.shortLived.call(sentinel, this.sentinelCredentials, (commands) -> {
			// The epoch first: it only grows, and grows before the address changes, so the address read after it
			// has this epoch or a newer one. Read the other way round, a failover in between would pair the old
			// master with the new epoch, and every later answer naming the new master would look no newer.
			Long configEpoch = configEpoch(commands, masterName);
			List<Object> address = sentinel(commands, "GET-MASTER-ADDR-BY-NAME", masterName);
			if (address.size() < 2) {
				return new SentinelAnswer(sentinel, null, List.of());
			}
			RedisNode master = new RedisNode(String.valueOf(address.get(0)),
					Integer.parseInt(String.valueOf(address.get(1))));
			return new SentinelAnswer(sentinel, master, replicas(commands, masterName), configEpoch);
		});
	}

	/**
	 * The {@code config-epoch} of {@code SENTINEL MASTER}, without its address: from the moment the promoted replica
	 * reports itself master, Sentinel gives the new epoch with the old address until the failover ends, while
	 * {@code GET-MASTER-ADDR-BY-NAME} already names the promoted replica. {@code null} where the endpoint does not
	 * give it (Redis Enterprise's discovery service may not).
	 */
	private static @Nullable Long configEpoch(RedisCommands<String, String> commands, String masterName) {
		List<Object> reply;
		try {
			reply = sentinel(commands, "MASTER", masterName);
		}
		catch (RedisCommandExecutionException ex) {
			return null;
		}
		for (int i = 0; i + 1 < reply.size(); i += 2) {
			if ("config-epoch".equals(String.valueOf(reply.get(i)))) {
				try {
					return Long.parseLong(String.valueOf(reply.get(i + 1)).trim());
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
		return null;
	}

	/**
	 * {@code SENTINEL REPLICAS}, or {@code SENTINEL SLAVES} where the endpoint lacks it (Redis before 5, Redis
	 * Enterprise's discovery service).
	 */
	private static List<Map<String, String>> replicas(RedisCommands<String, String> commands, String masterName) {
		List<Object> reply;
		try {
			reply = sentinel(commands, "REPLICAS", masterName);
		}
		catch (RedisCommandExecutionException ex) {
			try {
				reply = sentinel(commands, "SLAVES", masterName);
			}
			catch (RedisCommandExecutionException notSupported) {
				return List.of();
			}
		}
		List<Map<String, String>> replicas = new ArrayList<>();
		for (Object item : reply) {
			if (item instanceof List<?> fields) {
				Map<String, String> replica = new LinkedHashMap<>();
				for (int i = 0; i + 1 < fields.size(); i += 2) {
					replica.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
				}
				replicas.add(replica);
			}
		}
		return replicas;
	}

	private static List<Object> sentinel(RedisCommands<String, String> commands, String subcommand,
			String masterName) {
		List<Object> reply = commands.dispatch(CommandType.SENTINEL, new ArrayOutput<>(StringCodec.UTF8),
				new CommandArgs<>(StringCodec.UTF8).add(subcommand).add(masterName));
		return (reply != null) ? reply : List.of();
	}

	/**
	 * Asks a data node for its role: {@code ROLE}, or {@code INFO replication} where ROLE is not allowed.
	 * @param node the data node
	 * @return its role
	 * @throws RuntimeException when the node cannot be reached
	 */
	public NodeRole role(RedisNode node) {
		return this.shortLived.call(node, this.dataCredentials, (commands) -> {
			try {
				return NodeRole.fromRoleReply(String.valueOf(commands.role().get(0)));
			}
			catch (RedisCommandExecutionException ex) {
				return roleFromInfo(commands.info("replication"));
			}
		});
	}

	static NodeRole roleFromInfo(String info) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("role:")) {
				return NodeRole.fromRoleReply(line.substring("role:".length()).trim());
			}
		}
		return NodeRole.UNKNOWN;
	}

	/**
	 * Subscribes to the failover channels of a Sentinel; the connection resubscribes after reconnecting.
	 * @param sentinel the Sentinel
	 * @param listener receives the messages, on a Lettuce I/O thread
	 * @return the open subscription
	 * @throws RuntimeException when the Sentinel cannot be reached or refuses the subscription
	 */
	public StatefulRedisPubSubConnection<String, String> subscribe(RedisNode sentinel,
			RedisPubSubListener<String, String> listener) {
		StatefulRedisPubSubConnection<String, String> connection = this.subscriber
			.connectPubSub(this.shortLived.uri(sentinel, this.sentinelCredentials));
		try {
			connection.addListener(listener);
			connection.sync().subscribe(SentinelEvent.CHANNELS.toArray(String[]::new));
			return connection;
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	@Override
	public void close() {
		this.subscriber.shutdown(Duration.ZERO, this.timeout);
		this.shortLived.close();
	}

	/**
	 * What one Sentinel answered.
	 *
	 * @param sentinel who answered
	 * @param master the master it names, or {@code null} when it does not know the group
	 * @param replicas the replicas it lists, as {@code SENTINEL REPLICAS} fields
	 * @param configEpoch the configuration epoch under which it names that master ({@code config-epoch} of
	 * {@code SENTINEL MASTER}), or {@code null} when it gave none
	 */
	public record SentinelAnswer(RedisNode sentinel, @Nullable RedisNode master, List<Map<String, String>> replicas,
			@Nullable Long configEpoch) {

		/**
		 * An answer without a configuration epoch.
		 * @param sentinel who answered
		 * @param master the master it names, or {@code null} when it does not know the group
		 * @param replicas the replicas it lists
		 */
		public SentinelAnswer(RedisNode sentinel, @Nullable RedisNode master, List<Map<String, String>> replicas) {
			this(sentinel, master, replicas, null);
		}

	}

}
