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
 * {@link AddressSelection}, skipping addresses that recently failed while they cool down.
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
	}

	/**
	 * The current addresses, in the server's order.
	 * @return the addresses
	 */
	public List<InetAddress> addresses() {
		return this.answerOrder;
	}

	/**
	 * Picks the address of a new connection. When every address cools down, the one that failed longest ago is
	 * tried rather than none.
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
		InetAddress soonestBack = null;
		for (int i = 0; i < size; i++) {
			InetAddress candidate = candidates.get((start + i) % size);
			Instant until = this.coolingDownUntil.get(candidate);
			if (until == null || !until.isAfter(now)) {
				return new InetSocketAddress(candidate, this.port);
			}
			if (soonestBack == null || until.isBefore(this.coolingDownUntil.getOrDefault(soonestBack, until))) {
				soonestBack = candidate;
			}
		}
		return new InetSocketAddress((soonestBack != null) ? soonestBack : candidates.get(start), this.port);
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
		return true;
	}

	/**
	 * Ends the cool-down of an address, after a connection to it succeeded.
	 * @param address the address
	 */
	public void recovered(InetAddress address) {
		InetAddress known = find(address);
		if (known != null) {
			this.coolingDownUntil.remove(known);
		}
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
