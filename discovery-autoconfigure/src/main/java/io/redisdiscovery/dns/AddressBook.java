package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.redisdiscovery.topology.NodeRole;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about the addresses of the database hostname, one {@link AddressState} per address, and which
 * address the next connection gets: chosen by the {@link AddressSelection}, skipping addresses that recently failed
 * while they cool down and, briefly, addresses whose connection just dropped.
 * <p>
 * Each address's state is one immutable value, replaced atomically ({@link ConcurrentHashMap#compute}) by
 * {@link #update}, the only place that changes it. Atomic per-address records rather than one serial event loop:
 * the changes come from Netty I/O threads (a connection opened or closed), the lookup thread and the TCP check
 * thread, and {@link #next()} reads the states on the connecting thread; a loop would put a queue between a
 * connection closing and its count, and a hop into every connect. No change spans two addresses, so nothing needs
 * more than one address's atomicity; the answer itself is one immutable list, replaced whole.
 *
 * @since 0.1.0
 */
public final class AddressBook {

	/** IPv4 before IPv6, then by address bytes. */
	static final Comparator<InetAddress> BY_BYTES = Comparator
		.comparing((InetAddress address) -> address.getAddress().length)
		.thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

	private final String hostname;

	private final int port;

	private final AddressSelection selection;

	private final Duration coolDown;

	private final Clock clock;

	private final AtomicInteger turn = new AtomicInteger();

	/** Keyed by address without host name; an address whose state is {@link AddressState#UNKNOWN} has no entry. */
	private final Map<InetAddress, AddressState> states = new ConcurrentHashMap<>();

	/** In the DNS server's order, with the hostname attached (for TLS), for {@link AddressSelection#FIRST}. */
	private volatile List<InetAddress> answerOrder = List.of();

	/** Sorted, so that turns stay fair while the server rotates its answers. */
	private volatile List<InetAddress> stableOrder = List.of();

	/**
	 * Creates an empty book.
	 * @param hostname the hostname the addresses belong to
	 * @param port the port of every address
	 * @param selection how the next address is picked
	 * @param coolDown how long a failed address is avoided
	 * @param clock the clock
	 */
	public AddressBook(String hostname, int port, AddressSelection selection, Duration coolDown, Clock clock) {
		this.hostname = hostname;
		this.port = port;
		this.selection = selection;
		this.coolDown = coolDown;
		this.clock = clock;
	}

	/**
	 * Takes the addresses of a new answer. Addresses that left it stop being avoided; those of them without a
	 * connection also lose their role and reachability: an address that comes back may be another server, and a
	 * record set that keeps changing must not grow the book.
	 * @param addresses the addresses of the latest answer, in the server's order
	 */
	public void answered(List<InetAddress> addresses) {
		this.answerOrder = List.copyOf(addresses);
		this.stableOrder = addresses.stream().sorted(BY_BYTES).toList();
		Set<InetAddress> answer = addresses.stream().map(AddressBook::withoutHostname).collect(Collectors.toSet());
		Set<InetAddress> known = new HashSet<>(this.states.keySet());
		known.addAll(answer);
		for (InetAddress address : known) {
			boolean inAnswer = answer.contains(address);
			update(address, (state) -> {
				AddressState next = state.inAnswer(inAnswer);
				return (inAnswer || next.connections() > 0) ? next : next.forgettingWhatWasLearned();
			});
		}
	}

	/**
	 * The addresses of the latest answer, in the server's order.
	 * @return the addresses, with the hostname attached
	 */
	public List<InetAddress> addresses() {
		return this.answerOrder;
	}

	/**
	 * Picks the address of a new connection. Addresses that cool down or are suspect are skipped; when none is
	 * left, a suspect address is tried before one that cools down, and of those the one that failed longest ago.
	 * @return the address with the hostname attached (for TLS), or {@code null} when nothing is known yet
	 */
	public @Nullable InetSocketAddress next() {
		List<InetAddress> candidates = (this.selection == AddressSelection.FIRST) ? this.answerOrder
				: this.stableOrder;
		int size = candidates.size();
		if (size == 0) {
			return null;
		}
		int start = switch (this.selection) {
			case ROUND_ROBIN -> Math.floorMod(this.turn.getAndIncrement(), size);
			case RANDOM -> ThreadLocalRandom.current().nextInt(size);
			case FIRST -> 0;
		};
		Instant now = this.clock.instant();
		InetAddress firstSuspect = null;
		InetAddress soonestBack = null;
		Instant soonestBackAt = null;
		for (int i = 0; i < size; i++) {
			InetAddress candidate = candidates.get((start + i) % size);
			AddressState state = state(candidate);
			boolean coolingDown = state.isCoolingDown(now);
			if (!coolingDown && !state.isSuspect(now)) {
				return new InetSocketAddress(candidate, this.port);
			}
			if (!coolingDown) {
				firstSuspect = (firstSuspect != null) ? firstSuspect : candidate;
			}
			else if (soonestBackAt == null || state.coolingDownUntil().isBefore(soonestBackAt)) {
				soonestBack = candidate;
				soonestBackAt = state.coolingDownUntil();
			}
		}
		InetAddress fallback = (firstSuspect != null) ? firstSuspect
				: (soonestBack != null) ? soonestBack : candidates.get(start);
		return new InetSocketAddress(fallback, this.port);
	}

	/**
	 * A connection to the address was established: it counts, and the address is reachable and no longer avoided.
	 * @param address the address
	 */
	public void connected(InetAddress address) {
		update(address, AddressState::connected);
	}

	/**
	 * A connection to the address closed.
	 * @param address the address
	 */
	public void closed(InetAddress address) {
		update(address, AddressState::closed);
	}

	/**
	 * Avoids an address for a short time, when it is in the answer: its connection dropped, and whether it still
	 * accepts connections is not known yet.
	 * @param address the address whose connection dropped
	 * @param duration longest time to avoid it, unless a connection, a check or a failure comes first
	 * @return whether the address is in the answer
	 */
	public boolean suspect(InetAddress address, Duration duration) {
		Instant until = this.clock.instant().plus(duration);
		return update(address, (state) -> state.suspect(until)).inAnswer();
	}

	/**
	 * Ends the suspicion of an address that accepted a connection again; a cool-down goes on.
	 * @param address the address
	 */
	public void accepts(InetAddress address) {
		update(address, AddressState::accepts);
	}

	/**
	 * A connection attempt to the address failed: it is unreachable and, when in the answer, avoided for the
	 * cool-down time.
	 * @param address the address
	 * @return whether the address is in the answer
	 */
	public boolean coolDown(InetAddress address) {
		Instant until = this.clock.instant().plus(this.coolDown);
		return update(address, (state) -> state.failed(until)).inAnswer();
	}

	/**
	 * Marks a TCP check of the address as running, unless one is.
	 * @param address the address
	 * @return whether the caller should start the check
	 */
	boolean startCheck(InetAddress address) {
		boolean[] started = new boolean[1];
		update(address, (state) -> {
			started[0] = !state.checking();
			return state.checking(true);
		});
		return started[0];
	}

	/**
	 * The TCP check of the address ended, whatever its outcome.
	 * @param address the address
	 */
	void checkEnded(InetAddress address) {
		update(address, (state) -> state.checking(false));
	}

	/**
	 * Records what a probe found.
	 * @param address the address
	 * @param role its role
	 * @param reachable whether it answered
	 */
	public void probed(InetAddress address, NodeRole role, boolean reachable) {
		update(address, (state) -> state.probed(role, reachable));
	}

	/**
	 * What is known about an address.
	 * @param address the address, with or without host name
	 * @return its state, {@link AddressState#UNKNOWN} when nothing is known
	 */
	public AddressState state(InetAddress address) {
		return this.states.getOrDefault(withoutHostname(address), AddressState.UNKNOWN);
	}

	/**
	 * Whether an address is avoided because its connection dropped and it has not been checked yet.
	 * @param address the address
	 * @return whether it is suspect
	 */
	public boolean isSuspect(InetAddress address) {
		return state(address).isSuspect(this.clock.instant());
	}

	/**
	 * Until when an address is avoided.
	 * @param address the address
	 * @return the end of its cool-down, or {@code null} when it is not cooling down
	 */
	public @Nullable Instant coolingDownUntil(InetAddress address) {
		AddressState state = state(address);
		return state.isCoolingDown(this.clock.instant()) ? state.coolingDownUntil() : null;
	}

	/**
	 * The addresses with at least one open connection, in or out of the answer.
	 * @return the addresses, without host names
	 */
	public Set<InetAddress> connectedAddresses() {
		return this.states.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().connections() > 0)
			.map(Map.Entry::getKey)
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * The hostname of the addresses.
	 * @return the hostname
	 */
	public String hostname() {
		return this.hostname;
	}

	/**
	 * The port of every address.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Replaces the state of an address atomically; the one place where a state changes.
	 */
	private AddressState update(InetAddress address, UnaryOperator<AddressState> change) {
		AddressState[] next = new AddressState[1];
		this.states.compute(withoutHostname(address), (key, current) -> {
			next[0] = change.apply((current != null) ? current : AddressState.UNKNOWN);
			return next[0].isUnknown() ? null : next[0];
		});
		return next[0];
	}

	static InetAddress withoutHostname(InetAddress address) {
		try {
			return InetAddress.getByAddress(address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("An InetAddress always has 4 or 16 bytes", ex);
		}
	}

}
