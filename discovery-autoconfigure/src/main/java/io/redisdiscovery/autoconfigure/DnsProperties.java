package io.redisdiscovery.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redisdiscovery.dns.AddressSelection;
import org.jspecify.annotations.Nullable;

/**
 * DNS mode: a database hostname whose A/AAAA records list the proxies that serve it (Redis Enterprise).
 *
 * @since 0.1.0
 */
public class DnsProperties {

	/**
	 * Database hostname whose A and AAAA records are the addresses of its proxies. TLS verifies the certificate
	 * against this name.
	 */
	private @Nullable String hostname;

	/**
	 * TCP port of the database on every resolved address.
	 */
	private int port = 6379;

	/**
	 * DNS servers to ask, as host:port ([address]:port for IPv6), tried in order. Empty: the system resolver
	 * configuration (/etc/resolv.conf).
	 */
	private List<String> nameservers = new ArrayList<>();

	/**
	 * Longest time between two lookups of the hostname; a shorter record TTL wins.
	 */
	private Duration refreshInterval = Duration.ofSeconds(10);

	/**
	 * Shortest record TTL honoured, so that a TTL of 0 does not flood the DNS server.
	 */
	private Duration minTtl = Duration.ofSeconds(1);

	/**
	 * Longest record TTL honoured.
	 */
	private Duration maxTtl = Duration.ofMinutes(5);

	/**
	 * How each new connection picks one of the resolved addresses.
	 */
	private AddressSelection selection = AddressSelection.ROUND_ROBIN;

	/**
	 * How long an address whose connection attempt failed is avoided by new connections.
	 */
	private Duration coolDown = Duration.ofSeconds(5);

	/**
	 * Longest wait for one DNS server to answer one query.
	 */
	private Duration queryTimeout = Duration.ofSeconds(1);

	/**
	 * Whether startup fails when the hostname does not resolve. When false, the application starts, connections fail
	 * and the topology stays empty and stale until the name resolves; lookups continue in the background.
	 */
	private boolean failFast = true;

	public @Nullable String getHostname() {
		return this.hostname;
	}

	public void setHostname(@Nullable String hostname) {
		this.hostname = hostname;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public List<String> getNameservers() {
		return this.nameservers;
	}

	public void setNameservers(List<String> nameservers) {
		this.nameservers = nameservers;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public Duration getMinTtl() {
		return this.minTtl;
	}

	public void setMinTtl(Duration minTtl) {
		this.minTtl = minTtl;
	}

	public Duration getMaxTtl() {
		return this.maxTtl;
	}

	public void setMaxTtl(Duration maxTtl) {
		this.maxTtl = maxTtl;
	}

	public AddressSelection getSelection() {
		return this.selection;
	}

	public void setSelection(AddressSelection selection) {
		this.selection = selection;
	}

	public Duration getCoolDown() {
		return this.coolDown;
	}

	public void setCoolDown(Duration coolDown) {
		this.coolDown = coolDown;
	}

	public Duration getQueryTimeout() {
		return this.queryTimeout;
	}

	public void setQueryTimeout(Duration queryTimeout) {
		this.queryTimeout = queryTimeout;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

}
