package io.redisdiscovery.dns;

import java.util.Locale;

/**
 * How a new connection picks one of the addresses a hostname resolves to.
 *
 * @since 0.1.0
 */
public enum AddressSelection {

	/**
	 * Each new connection takes the next address in turn, so connections spread evenly.
	 */
	ROUND_ROBIN,

	/**
	 * Each new connection takes an address at random.
	 */
	RANDOM,

	/**
	 * Each new connection takes the first address of the latest DNS answer, in the order the DNS server gave.
	 */
	FIRST;

	/**
	 * The selection as written in {@code redis.discovery.dns.selection} and shown in the topology.
	 * @return the kebab-case value, for example {@code round-robin}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
