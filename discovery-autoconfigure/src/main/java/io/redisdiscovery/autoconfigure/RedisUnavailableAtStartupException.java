package io.redisdiscovery.autoconfigure;


import io.redisdiscovery.topology.DiscoveryMode;

/**
 * Thrown at startup, with {@code redis.discovery.startup=fail-fast}, when Redis does not answer. The message
 * names the mode and the endpoints, never a credential.
 *
 * @since 0.1.0
 */
public class RedisUnavailableAtStartupException extends RuntimeException {

	private final DiscoveryMode mode;

	/**
	 * Creates an exception.
	 * @param mode the discovery mode in use
	 * @param endpoints the endpoints discovered, as text
	 * @param cause why PING failed
	 */
	public RedisUnavailableAtStartupException(DiscoveryMode mode, String endpoints, Throwable cause) {
		super("Redis did not answer PING at startup in " + mode.propertyValue()
				+ " mode (endpoints: " + endpoints + "): " + cause.getMessage(), cause);
		this.mode = mode;
	}

	/**
	 * The discovery mode in use.
	 * @return the mode
	 */
	public DiscoveryMode getMode() {
		return this.mode;
	}

}
