package io.redisdiscovery.topology;

import java.util.function.Consumer;

import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.redisdiscovery.retry.FailureKind;
import io.redisdiscovery.retry.WriteGuard;
import org.jspecify.annotations.Nullable;

/**
 * Discovers and watches the endpoints of one discovery mode. Implementations are free of Spring and are
 * thread-safe.
 *
 * @since 0.1.0
 */
public interface TopologySource extends AutoCloseable {

	/**
	 * The last known topology; cheap and never waits on the network.
	 * @return the topology
	 */
	RedisTopology current();

	/**
	 * Asks the deployment again now (probing nodes with the source's own short timeouts) and publishes a
	 * change when the answer differs.
	 * @param reason why, recorded in the change event
	 * @return the fresh topology, or the last known one marked stale when nothing answered
	 */
	RedisTopology refresh(String reason);

	/**
	 * Registers a listener called, on the thread that saw it, after each change.
	 * @param listener the listener
	 */
	void addListener(Consumer<TopologyChange> listener);

	/**
	 * Tells the source that a command failed in a way that may mean the topology moved (called before a retry).
	 * @param kind the failure kind
	 * @param failure the failure
	 */
	default void onCommandFailure(FailureKind kind, Throwable failure) {
	}

	/**
	 * The resolver Lettuce uses at every (re)connect to turn the configured address into the one to dial now,
	 * or {@code null} to let Lettuce resolve the configured host itself.
	 * @return the resolver, or {@code null}
	 */
	default @Nullable SocketAddressResolver addressResolver() {
		return null;
	}

	/**
	 * A customizer for the channels of the connection factory's connections, for a source that watches them at the
	 * channel (DNS mode counts them per address and tells a drop from a close), or {@code null}. Installed after the
	 * application's own, in the same client resources as {@link #addressResolver()}.
	 * @return the customizer, or {@code null}
	 */
	default @Nullable NettyCustomizer nettyCustomizer() {
		return null;
	}

	/**
	 * Hands the source what moves the application's connections, once the connection factory exists; a source that
	 * sees the connections' endpoint go away (a new master, an address gone from DNS) calls it. Called in every mode,
	 * for the starter's sources and the application's own.
	 * @param connections moves the connection factory's connections
	 */
	default void bind(ConnectionMover connections) {
	}

	/**
	 * What holds writes while this source sees the master change, and confirms writes.
	 * @return the guard, {@link WriteGuard#NONE} by default
	 */
	default WriteGuard writeGuard() {
		return WriteGuard.NONE;
	}

	/**
	 * Stops background watching.
	 */
	@Override
	default void close() {
	}

}
