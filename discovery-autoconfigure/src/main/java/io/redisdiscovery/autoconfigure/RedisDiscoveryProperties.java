package io.redisdiscovery.autoconfigure;

import java.time.Duration;

import io.redisdiscovery.topology.DiscoveryMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of Redis endpoint discovery, connection and retry.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("redis.discovery")
public class RedisDiscoveryProperties {

	/**
	 * Whether the starter configures the Redis connection factory.
	 */
	private boolean enabled = true;

	/**
	 * How the Redis endpoint is discovered. When not set, the mode is inferred from the one mode section
	 * (standalone, dns, sentinel, cluster, load-balancer) that is configured, standalone when none is; several
	 * configured sections without a mode fail startup. An inferred mode is not written back to this
	 * property: the /actuator/redis-topology endpoint reports the mode in use.
	 */
	private @Nullable DiscoveryMode mode;

	/**
	 * Whether startup fails when Redis cannot be reached (fail-fast) or the application starts anyway (lazy).
	 * When set, it replaces redis.discovery.dns.fail-fast and redis.discovery.sentinel.fail-fast; when not set,
	 * each mode keeps its own default and no mode pings Redis at startup.
	 */
	private @Nullable StartupBehavior startup;

	/**
	 * Login user name of the Redis data nodes (Redis 6 ACL); leave empty for the default user.
	 */
	private @Nullable String username;

	/**
	 * Login password of the Redis data nodes.
	 */
	private @Nullable String password;

	/**
	 * Database index used by the connection.
	 */
	private int database;

	/**
	 * Client name set on every connection with CLIENT SETNAME, to find the application in CLIENT LIST.
	 */
	private @Nullable String clientName;

	private final Ssl ssl = new Ssl();

	private final Timeout timeout = new Timeout();

	private final Reconnect reconnect = new Reconnect();

	private final Retry retry = new Retry();

	private final Pool pool = new Pool();

	private final Endpoint standalone = new Endpoint();

	private final Endpoint loadBalancer = new Endpoint();

	@NestedConfigurationProperty
	private final DnsProperties dns = new DnsProperties();

	@NestedConfigurationProperty
	private final SentinelProperties sentinel = new SentinelProperties();

	@NestedConfigurationProperty
	private final ClusterProperties cluster = new ClusterProperties();

	private final Health health = new Health();

	private final Metrics metrics = new Metrics();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable DiscoveryMode getMode() {
		return this.mode;
	}

	public void setMode(@Nullable DiscoveryMode mode) {
		this.mode = mode;
	}

	public @Nullable StartupBehavior getStartup() {
		return this.startup;
	}

	public void setStartup(@Nullable StartupBehavior startup) {
		this.startup = startup;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public int getDatabase() {
		return this.database;
	}

	public void setDatabase(int database) {
		this.database = database;
	}

	public @Nullable String getClientName() {
		return this.clientName;
	}

	public void setClientName(@Nullable String clientName) {
		this.clientName = clientName;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Timeout getTimeout() {
		return this.timeout;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Endpoint getStandalone() {
		return this.standalone;
	}

	public Endpoint getLoadBalancer() {
		return this.loadBalancer;
	}

	public DnsProperties getDns() {
		return this.dns;
	}

	public SentinelProperties getSentinel() {
		return this.sentinel;
	}

	public ClusterProperties getCluster() {
		return this.cluster;
	}

	public Health getHealth() {
		return this.health;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Whether to connect with TLS. Enabled automatically when a bundle is set.
		 */
		private boolean enabled;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that holds the trust and key material.
		 */
		private @Nullable String bundle;

		public boolean isEnabled() {
			return this.enabled || this.bundle != null;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Connection and command time limits.
	 */
	public static class Timeout {

		/**
		 * Longest time to establish a TCP connection (and TLS handshake) to one node.
		 */
		private Duration connect = Duration.ofSeconds(2);

		/**
		 * Longest time one command attempt may take before it fails with a timeout; each retry attempt has its
		 * own.
		 */
		private Duration command = Duration.ofSeconds(2);

		/**
		 * How long a connection may stay silent before TCP asks the peer whether it is still there (TCP keepalive
		 * idle time; the probes then go every third of this time, three of them). A peer that died without a reset
		 * (a lost host, a partition) is then noticed within about twice this time, also by connections that only
		 * listen, such as subscriptions. Whole seconds.
		 */
		private Duration keepAlive = Duration.ofSeconds(15);

		public Duration getConnect() {
			return this.connect;
		}

		public void setConnect(Duration connect) {
			this.connect = connect;
		}

		public Duration getCommand() {
			return this.command;
		}

		public void setCommand(Duration command) {
			this.command = command;
		}

		public Duration getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

	}

	/**
	 * Background reconnection of a lost connection.
	 */
	public static class Reconnect {

		/**
		 * Shortest delay before a reconnect attempt. Attempt n waits a random time between this and the smaller
		 * of 2^n times this and max-delay, so that clients losing the same server do not come back in step. While
		 * an operation of the application waits to be retried, or a Pub/Sub subscriber has lost its connection,
		 * attempts come every min-delay to twice min-delay instead, so that a server accepting again is seen within
		 * tens of milliseconds.
		 */
		private Duration minDelay = Duration.ofMillis(20);

		/**
		 * Longest delay between two reconnect attempts while no operation or subscriber of the application waits. An
		 * attempt scheduled so far away runs at once when an operation starts waiting.
		 */
		private Duration maxDelay = Duration.ofSeconds(1);

		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

	/**
	 * Retry of connection acquisition and commands (Resilience4j). Ignored when the application defines a
	 * RetryRegistry bean: the retry then comes from that registry under the name "redis-discovery".
	 */
	public static class Retry {

		/**
		 * Whether failed connection attempts and commands are retried.
		 */
		private boolean enabled = true;

		/**
		 * Most attempts per operation, the first one included.
		 */
		private int maxAttempts = 10;

		/**
		 * Wait before the second attempt; later waits grow by the backoff multiplier.
		 */
		private Duration waitDuration = Duration.ofMillis(100);

		/**
		 * Factor by which the wait grows after each failed attempt.
		 */
		private double backoffMultiplier = 2.0;

		/**
		 * Longest wait between two attempts.
		 */
		private Duration maxWaitDuration = Duration.ofSeconds(2);

		/**
		 * Random spread applied to each wait, as a fraction of it (0 for none, below 1), so that many clients do
		 * not retry in step.
		 */
		private double jitter = 0.5;

		/**
		 * Whether commands that are not idempotent (INCR, LPUSH, SETNX, scripts ...) are retried after a failure
		 * that may have reached the server. Enabling it can apply such a command twice.
		 */
		private boolean nonIdempotentCommands;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getWaitDuration() {
			return this.waitDuration;
		}

		public void setWaitDuration(Duration waitDuration) {
			this.waitDuration = waitDuration;
		}

		public double getBackoffMultiplier() {
			return this.backoffMultiplier;
		}

		public void setBackoffMultiplier(double backoffMultiplier) {
			this.backoffMultiplier = backoffMultiplier;
		}

		public Duration getMaxWaitDuration() {
			return this.maxWaitDuration;
		}

		public void setMaxWaitDuration(Duration maxWaitDuration) {
			this.maxWaitDuration = maxWaitDuration;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public boolean isNonIdempotentCommands() {
			return this.nonIdempotentCommands;
		}

		public void setNonIdempotentCommands(boolean nonIdempotentCommands) {
			this.nonIdempotentCommands = nonIdempotentCommands;
		}

	}

	/**
	 * One fixed address.
	 */
	public static class Endpoint {

		/**
		 * Host name or IP address.
		 */
		private String host = "localhost";

		/**
		 * TCP port.
		 */
		private int port = 6379;

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

	}

	/**
	 * Pooling of the connections taken for transactions, pipelines and blocking commands (and of the shared
	 * connection), as spring.data.redis.lettuce.pool.* does for Spring Boot's factory. Pooled connections never
	 * outlive a failover, a DNS drain or a failed command. Not applied in cluster mode nor to reactive connections.
	 */
	public static class Pool {

		/**
		 * Whether to enable the pool. Enabled automatically if "commons-pool2" is available.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Maximum number of "idle" connections in the pool. Use a negative value to indicate an unlimited number of
		 * idle connections.
		 */
		private int maxIdle = 8;

		/**
		 * Target for the minimum number of idle connections to maintain in the pool. This setting only has an effect
		 * if both it and time between eviction runs are positive.
		 */
		private int minIdle;

		/**
		 * Maximum number of connections that can be allocated by the pool at a given time, the shared connection
		 * included. Use a negative value for no limit.
		 */
		private int maxActive = 8;

		/**
		 * Maximum amount of time a connection allocation should block before throwing an exception when the pool is
		 * exhausted. Use a negative value to block indefinitely.
		 */
		private Duration maxWait = Duration.ofMillis(-1);

		/**
		 * Time between runs of the idle object evictor thread. When positive, the idle object evictor thread starts,
		 * otherwise no idle object eviction is performed.
		 */
		private @Nullable Duration timeBetweenEvictionRuns;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxIdle() {
			return this.maxIdle;
		}

		public void setMaxIdle(int maxIdle) {
			this.maxIdle = maxIdle;
		}

		public int getMinIdle() {
			return this.minIdle;
		}

		public void setMinIdle(int minIdle) {
			this.minIdle = minIdle;
		}

		public int getMaxActive() {
			return this.maxActive;
		}

		public void setMaxActive(int maxActive) {
			this.maxActive = maxActive;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public @Nullable Duration getTimeBetweenEvictionRuns() {
			return this.timeBetweenEvictionRuns;
		}

		public void setTimeBetweenEvictionRuns(@Nullable Duration timeBetweenEvictionRuns) {
			this.timeBetweenEvictionRuns = timeBetweenEvictionRuns;
		}

	}

	/**
	 * The discovery health check (management.health.redisdiscovery.enabled turns it off).
	 */
	public static class Health {

		/**
		 * Longest time one health check may take; a check still running then reports the last known topology as
		 * stale.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Micrometer meters of discovery and retry.
	 */
	public static class Metrics {

		/**
		 * Whether discovery and retry meters are registered (when Micrometer is present).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
