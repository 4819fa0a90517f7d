package io.redisdiscovery.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.redisdiscovery.topology.ConnectionMover;
import io.redisdiscovery.topology.DiscoveryMode;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import io.redisdiscovery.topology.RedisTopology;
import io.redisdiscovery.topology.TopologyChange;
import io.redisdiscovery.topology.TopologyEndpoint;
import io.redisdiscovery.topology.TopologySource;

/**
 * A topology source whose answers the test decides, for the pure logic of what reads a source (health, endpoint).
 * Each {@link #refresh(String)} publishes the next queued answer (or a failure), optionally after a gate the test
 * opens.
 */
public final class FakeTopologySource implements TopologySource {

	private final List<Consumer<TopologyChange>> listeners = new CopyOnWriteArrayList<>();

	private final List<String> refreshReasons = new CopyOnWriteArrayList<>();

	private final List<Object> answers = new ArrayList<>();

	private volatile RedisTopology current;

	private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

	private volatile ConnectionMover connections = ConnectionMover.NONE;

	/**
	 * Creates a source that knows the given topology.
	 * @param initial the topology {@link #current()} answers first
	 */
	public FakeTopologySource(RedisTopology initial) {
		this.current = initial;
	}

	/**
	 * A topology of one endpoint.
	 * @param mode the mode
	 * @param role the endpoint's role
	 * @param port the endpoint's port on 127.0.0.1
	 * @param details the mode's details
	 * @return the topology
	 */
	public static RedisTopology topology(DiscoveryMode mode, NodeRole role, int port, Map<String, Object> details) {
		return new RedisTopology(mode, List.of(TopologyEndpoint.of(new RedisNode("127.0.0.1", port), role, true, true)),
				details, Instant.parse("2026-11-30T12:00:00Z"), false);
	}

	/**
	 * Queues the answer of the next refresh.
	 * @param answer a topology to publish, or a runtime exception to throw
	 * @return this source
	 */
	public synchronized FakeTopologySource answerNext(Object answer) {
		this.answers.add(answer);
		return this;
	}

	/**
	 * Makes refreshes wait until the returned future is completed.
	 * @return the gate to complete
	 */
	public CompletableFuture<Void> holdRefreshes() {
		CompletableFuture<Void> gate = new CompletableFuture<>();
		this.gate = gate;
		return gate;
	}

	/**
	 * The reasons of the refreshes asked so far.
	 * @return the reasons, oldest first
	 */
	public List<String> refreshReasons() {
		return List.copyOf(this.refreshReasons);
	}

	@Override
	public RedisTopology current() {
		return this.current;
	}

	@Override
	public RedisTopology refresh(String reason) {
		this.refreshReasons.add(reason);
		this.gate.join();
		Object answer;
		synchronized (this) {
			answer = this.answers.isEmpty() ? this.current : this.answers.remove(0);
		}
		if (answer instanceof RuntimeException failure) {
			throw failure;
		}
		RedisTopology before = this.current;
		this.current = (RedisTopology) answer;
		if (this.current.endpointsDifferFrom(before)) {
			TopologyChange change = new TopologyChange(before, this.current, reason, Instant.now());
			this.listeners.forEach((listener) -> listener.accept(change));
		}
		return this.current;
	}

	@Override
	public void addListener(Consumer<TopologyChange> listener) {
		this.listeners.add(listener);
	}

	@Override
	public void bind(ConnectionMover connections) {
		this.connections = connections;
	}

	/**
	 * What the wiring bound this source to.
	 * @return the connection mover, {@link ConnectionMover#NONE} until bound
	 */
	public ConnectionMover boundConnections() {
		return this.connections;
	}

}
