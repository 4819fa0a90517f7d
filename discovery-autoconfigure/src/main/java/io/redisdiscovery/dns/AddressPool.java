package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The addresses a hostname resolves to now, and which one the next connection gets: chosen by the
 * {@link AddressSelection}, skipping addresses that recently failed while they cool down and, briefly, addresses
 * whose connection just dropped.
 *
 * @since 0.1.0
 */
public final class AddressPool {

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

	private final Map<InetAddress, Instant> coolingDownUntil = new ConcurrentHashMap<>();

	private final Map<InetAddress, Instant> suspectUntil = new ConcurrentHashMap<>();

	/** In the DNS server's order, for {@link AddressSelection#FIRST}. */
	private volatile List<InetAddress> answerOrder = List.of();

	/** Sorted, so that turns stay fair while the server rotates its answers. */
	private volatile List<InetAddress> stableOrder = List.of();

	/**
	 * Creates an empty pool.
	 * @param hostname the hostname the addresses belong to
	 * @param port the port of every address
	 * @param selection how the next address is picked
	 * @param coolDown how long a failed address is avoided
	 * @param clock the clock
	 */
	public AddressPool(String hostname, int port, AddressSelection selection, Duration coolDown, Clock clock) {
		this.hostname = hostname;
		this.port = port;
		this.selection = selection;
		this.coolDown = coolDown;
		this.clock = clock;
	}

	/**
	 * Replaces the addresses.
	 * @param addresses the addresses of the latest answer, in the server's order
	 */
	public void update(List<InetAddress> addresses) {
		this.answerOrder = List.copyOf(addresses);
		this.stableOrder = addresses.stream().sorted(BY_BYTES).toList();
		this.coolingDownUntil.keySet().retainAll(addresses);
		this.suspectUntil.keySet().retainAll(addresses);
	}

	/**
	 * The current addresses, in the server's order.
	 * @return the addresses
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
		for (int i = 0; i < size; i++) {
			InetAddress candidate = candidates.get((start + i) % size);
			Instant until = this.coolingDownUntil.get(candidate);
			boolean coolingDown = until != null && until.isAfter(now);
			if (!coolingDown && !isSuspect(candidate, now)) {
				return new InetSocketAddress(candidate, this.port);
			}
			if (!coolingDown) {
				firstSuspect = (firstSuspect != null) ? firstSuspect : candidate;
			}
			else if (soonestBack == null || until.isBefore(this.coolingDownUntil.getOrDefault(soonestBack, until))) {
				soonestBack = candidate;
			}
		}
		InetAddress fallback = (firstSuspect != null) ? firstSuspect
				: (soonestBack != null) ? soonestBack : candidates.get(start);
		return new InetSocketAddress(fallback, this.port);
	}

	/**
	 * Avoids an address for a short time, when it is one of the pool's: its connection dropped, and whether it
	 * still accepts connections is not known yet.
	 * @param address the address whose connection dropped
	 * @param duration longest time to avoid it, unless {@link #recovered} or {@link #coolDown} comes first
	 * @return whether the address belongs to the pool
	 */
	public boolean suspect(InetAddress address, Duration duration) {
		InetAddress known = find(address);
		if (known == null) {
			return false;
		}
		this.suspectUntil.put(known, this.clock.instant().plus(duration));
		return true;
	}

	/**
	 * Avoids an address for the cool-down time, when it is one of the pool's.
	 * @param address the address whose connection attempt failed
	 * @return whether the address belongs to the pool
	 */
	public boolean coolDown(InetAddress address) {
		InetAddress known = find(address);
		if (known == null) {
			return false;
		}
		this.coolingDownUntil.put(known, this.clock.instant().plus(this.coolDown));
		this.suspectUntil.remove(known);
		return true;
	}

	/**
	 * Ends the cool-down and the suspicion of an address, after a connection to it succeeded.
	 * @param address the address
	 */
	public void recovered(InetAddress address) {
		InetAddress known = find(address);
		if (known != null) {
			this.coolingDownUntil.remove(known);
			this.suspectUntil.remove(known);
		}
	}

	/**
	 * Ends the suspicion of an address that accepted a connection again; a cool-down goes on.
	 * @param address the address
	 */
	public void accepts(InetAddress address) {
		InetAddress known = find(address);
		if (known != null) {
			this.suspectUntil.remove(known);
		}
	}

	/**
	 * Whether an address is avoided because its connection dropped and it has not been checked yet.
	 * @param address the address
	 * @return whether it is suspect
	 */
	public boolean isSuspect(InetAddress address) {
		return isSuspect(address, this.clock.instant());
	}

	private boolean isSuspect(InetAddress address, Instant now) {
		Instant until = this.suspectUntil.get(address);
		return until != null && until.isAfter(now);
	}

	/**
	 * Until when an address is avoided.
	 * @param address the address
	 * @return the end of its cool-down, or {@code null} when it is not cooling down
	 */
	public @Nullable Instant coolingDownUntil(InetAddress address) {
		Instant until = this.coolingDownUntil.get(address);
		return (until != null && until.isAfter(this.clock.instant())) ? until : null;
	}

	/**
	 * The pool's address equal to {@code address}, ignoring host names.
	 * @param address an address, for example from a connection event
	 * @return the pool's address, or {@code null}
	 */
	public @Nullable InetAddress find(InetAddress address) {
		for (InetAddress candidate : this.answerOrder) {
			if (candidate.equals(address)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * The hostname of the pool.
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

}
