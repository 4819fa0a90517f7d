package io.redisdiscovery.topology;

import org.springframework.util.Assert;

/**
 * The address of one Redis server, Sentinel or proxy.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 * @since 0.1.0
 */
public record RedisNode(String host, int port) {

	public RedisNode {
		Assert.hasText(host, "'host' must not be empty");
		Assert.isTrue(port > 0 && port <= 65535, () -> "'port' must be between 1 and 65535 but was " + port);
	}

	/**
	 * Parses {@code host:port} or {@code [ipv6]:port}.
	 * @param hostAndPort the text to parse
	 * @return the node
	 * @throws IllegalArgumentException with a message that says what is wrong
	 */
	public static RedisNode parse(String hostAndPort) {
		String text = hostAndPort.trim();
		int colon = text.lastIndexOf(':');
		if (colon <= 0 || colon == text.length() - 1) {
			throw new IllegalArgumentException("'" + hostAndPort + "' is not of the form host:port");
		}
		String host = text.substring(0, colon);
		if (host.startsWith("[")) {
			if (!host.endsWith("]") || host.length() == 2) {
				throw new IllegalArgumentException("'" + hostAndPort + "' has an unclosed or empty IPv6 bracket");
			}
			host = host.substring(1, host.length() - 1);
		}
		else if (host.contains(":")) {
			throw new IllegalArgumentException("'" + hostAndPort + "' looks like an IPv6 address: write it as [address]:port");
		}
		int port;
		try {
			port = Integer.parseInt(text.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + hostAndPort + "' has a port that is not a number");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("'" + hostAndPort + "' has port " + port + ", outside 1-65535");
		}
		return new RedisNode(host, port);
	}

	@Override
	public String toString() {
		return (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

}
