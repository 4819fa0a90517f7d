package io.redisdiscovery.autoconfigure;

import io.redisdiscovery.topology.Credentials;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * The application's credentials and database for the data nodes, written once for every mode: in the Spring Data
 * configurations of the connection factories, and as {@link Credentials} for the starter's short-lived node
 * clients.
 */
final class DataNodeConfigurations {

	private DataNodeConfigurations() {
	}

	/**
	 * The credentials of the data nodes, for role probes and node queries.
	 * @param properties the properties with the credentials
	 * @return the credentials
	 */
	static Credentials credentials(RedisDiscoveryProperties properties) {
		return new Credentials(properties.getUsername(), properties.getPassword());
	}

	/**
	 * A standalone configuration of one address.
	 * @param host the host Lettuce connects to (a real one, or a logical one a resolver maps)
	 * @param port the port
	 * @param properties the properties with the credentials and database
	 * @return the configuration
	 */
	static RedisStandaloneConfiguration standalone(String host, int port, RedisDiscoveryProperties properties) {
		return authenticated(new RedisStandaloneConfiguration(host, port), properties);
	}

	/**
	 * Sets the data nodes' credentials and, where the configuration has one (a cluster has only database 0), the
	 * database.
	 * @param <C> the configuration type
	 * @param configuration the configuration
	 * @param properties the properties with the credentials and database
	 * @return the configuration
	 */
	static <C extends RedisConfiguration.WithAuthentication> C authenticated(C configuration,
			RedisDiscoveryProperties properties) {
		configuration.setUsername(properties.getUsername());
		configuration.setPassword(RedisPassword.of(properties.getPassword()));
		if (configuration instanceof RedisConfiguration.WithDatabaseIndex database) {
			database.setDatabase(properties.getDatabase());
		}
		return configuration;
	}

}
