package io.redisdiscovery.cluster;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.PubSubCommandHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.redisdiscovery.retry.QuickCommands;
import io.redisdiscovery.retry.ReconnectAtOnce;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the cluster client's channels for a master that stopped answering, the cluster's counterpart of the
 * silence watch of the other modes. A frozen master (a hung process or host: its kernel still accepts and
 * acknowledges) and a dead path to a live one (a proxy of Redis Enterprise's OSS Cluster API that went silent, a
 * flow dropped by a middlebox) close nothing and fail no reconnect, so the commands waiting on them would wait for
 * their timeout.
 * <p>
 * A channel to a master whose oldest waiting command is quick ({@link QuickCommands}) and got no reply for
 * {@link QuickCommands#SILENCE} is reported {@linkplain Listener#silent silent}. The listener watches the master's
 * replicas for a promotion from then on ({@link PromotionWatch}), leaves the node out of slot map refreshes
 * ({@link #isSilent(RedisNode)}), which would otherwise wait for it until their timeout, and probes the node through
 * a new connection: if the node answers there, the path was dead, and the channel is closed if it is
 * {@linkplain #closeIfStillSilent still silent}, so that its commands fail now and the retry sends them again (or
 * reports a write whose outcome is unknown, as a timeout would) on the connection Lettuce sets up in its place. A
 * frozen node answers no probe; once the other masters flag it {@code fail} and a replica takes over, the refreshed
 * slot map leaves it out ({@link ClusterClientOptionsFactory#routable()}) and Lettuce closes its connections as stale.
 * A reply, or a new connection set up to the node, reports it {@linkplain Listener#answering answering} again.
 * <p>
 * A subscriber has no command waiting: one whose last reply is {@code subscriberPing} old is sent a {@code PING}
 * (allowed while subscribed), whose silence is then seen as any other's, on whatever node it is subscribed (a master
 * or a replica). TCP keepalive cannot see such a silence, since the far end of the path still acknowledges.
 * <p>
 * Each channel is looked at on its own event loop, where its command stack lives; {@link #check(Set)} posts the
 * looks.
 *
 * @since 0.1.0
 */
final class SilentMasterWatch implements NettyCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(SilentMasterWatch.class);

	private static final AttributeKey<Silence> SILENCE = AttributeKey.valueOf("redis-discovery-master-silence");

	private final long silenceNanos = QuickCommands.SILENCE.toNanos();

	private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

	private final Listener listener;

	/** The nodes with a channel reported silent that has not answered since, as their channels name them. */
	private final Set<RedisNode> silentNodes = ConcurrentHashMap.newKeySet();

	/** The masters that serve slots in the client's slot map as of the last check, as their channels name them. */
	private volatile Set<RedisNode> serving = Set.of();

	private final long subscriberPingNanos;

	/**
	 * Creates a watch.
	 * @param listener told of silent channels
	 * @param subscriberPing how long after its last reply a subscriber is sent a {@code PING}
	 */
	SilentMasterWatch(Listener listener, Duration subscriberPing) {
		this.listener = listener;
		this.subscriberPingNanos = subscriberPing.toNanos();
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		this.channels.add(channel);
		channel.closeFuture().addListener((closed) -> this.channels.remove(channel));
	}

	/**
	 * Whether a node has a channel reported silent that has not answered since, and no new connection to it was
	 * set up since.
	 * @param node the node, as its channels name it ({@link ClusterAddressMap#seenAs(RedisNode)})
	 * @return {@code true} while it is silent
	 */
	boolean isSilent(RedisNode node) {
		return this.silentNodes.contains(node);
	}

	/**
	 * Takes a connection set up to a node (its handshake answered) as a sign that it answers again.
	 * @param address the connection's remote address
	 */
	void connected(SocketAddress address) {
		RedisNode node = nodeOf(address);
		if (node != null) {
			this.silentNodes.remove(node);
		}
	}

	/**
	 * Looks at every channel, each on its own event loop.
	 * @param serving the masters that serve slots in the client's slot map now, as their channels name them
	 */
	void check(Set<RedisNode> serving) {
		this.serving = serving;
		for (Channel channel : this.channels) {
			if (channel.isActive()) {
				channel.eventLoop().execute(() -> observe(channel));
			}
		}
	}

	/**
	 * Closes a channel reported silent if the command it was reported for is still its oldest: a probe found its
	 * node answering, so its path is dead. Lettuce sets up a new connection in its place, at once.
	 * @param channel the channel
	 * @param oldest the command it was reported silent for
	 */
	void closeIfStillSilent(Channel channel, RedisCommand<?, ?, ?> oldest) {
		channel.eventLoop().execute(() -> {
			CommandHandler commands = channel.pipeline().get(CommandHandler.class);
			if (commands != null && commands.getStack().peek() == oldest) {
				logger.warn("A connection to cluster node {} left a command unanswered for {} ms or more, and a new "
						+ "connection answers: replacing it", nodeOf(channel.remoteAddress()),
						QuickCommands.SILENCE.toMillis());
				ReconnectAtOnce.mark(channel);
				channel.close();
			}
		});
	}

	private void observe(Channel channel) {
		CommandHandler commands = channel.pipeline().get(CommandHandler.class);
		RedisNode node = nodeOf(channel.remoteAddress());
		if (commands == null || node == null) {
			return;
		}
		Silence silence = channel.attr(SILENCE).get();
		if (silence == null) {
			silence = new Silence();
			channel.attr(SILENCE).set(silence);
		}
		RedisCommand<?, ?, ?> oldest = commands.getStack().peek();
		long now = System.nanoTime();
		if (oldest != silence.oldest) {
			// A reply came (or the first command went out): a new silence starts, if any.
			if (silence.reported) {
				this.silentNodes.remove(node);
				this.listener.answering(channel.remoteAddress());
			}
			silence.restart(oldest, now);
			return;
		}
		boolean subscriber = commands instanceof PubSubCommandHandler;
		if (oldest == null) {
			if (subscriber && now - silence.since >= this.subscriberPingNanos) {
				// Written as the connection writes its commands: on the stack, so that the reply empties it.
				channel.writeAndFlush(new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));
				silence.since = now;
			}
			return;
		}
		if (!QuickCommands.isQuick(oldest) || now - silence.since < this.silenceNanos) {
			return;
		}
		// A master's silence, or a subscriber's; a replica serving reads has no promotion to wait for and its commands
		// time out as usual.
		if (!silence.reported && (this.serving.contains(node) || subscriber)) {
			silence.reported = true;
			this.silentNodes.add(node);
			logger.debug("Cluster node {} left a command unanswered for {} ms", node,
					QuickCommands.SILENCE.toMillis());
			this.listener.silent(channel, oldest, subscriber);
		}
	}

	private static @Nullable RedisNode nodeOf(@Nullable SocketAddress address) {
		return (address instanceof InetSocketAddress inet) ? new RedisNode(inet.getHostString(), inet.getPort())
				: null;
	}

	/** Told when a master's or a subscriber's channel goes silent, and when it answers again, on its event loop. */
	interface Listener {

		/**
		 * A channel to a master serving slots, or a subscriber's channel, got no reply for the quick silence.
		 * @param channel the channel
		 * @param oldest its oldest waiting command
		 * @param subscriber whether it is a subscriber's (whose node may be a replica)
		 */
		void silent(Channel channel, RedisCommand<?, ?, ?> oldest, boolean subscriber);

		/**
		 * A channel reported silent got a reply.
		 * @param address the channel's remote address
		 */
		void answering(SocketAddress address);

	}

	/** One channel's silence; read and written on the channel's event loop only. */
	private static final class Silence {

		private @Nullable RedisCommand<?, ?, ?> oldest;

		private long since;

		private boolean reported;

		void restart(@Nullable RedisCommand<?, ?, ?> oldest, long now) {
			this.oldest = oldest;
			this.since = now;
			this.reported = false;
		}

	}

}
