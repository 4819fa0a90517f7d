package io.redisdiscovery.dns;

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
	FIRST

}
