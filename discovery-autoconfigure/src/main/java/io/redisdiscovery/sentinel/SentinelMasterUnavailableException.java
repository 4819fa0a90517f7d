package io.redisdiscovery.sentinel;

import java.util.List;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown at startup, when asked to fail fast, if no Sentinel named a master that confirmed its role.
 *
 * @since 0.1.0
 */
public class SentinelMasterUnavailableException extends DataAccessResourceFailureException {

	/**
	 * Creates an exception.
	 * @param masterName the master group
	 * @param problems what each Sentinel answered or why it could not be asked
	 */
	public SentinelMasterUnavailableException(String masterName, List<String> problems) {
		super("No Sentinel named a reachable master for '" + masterName + "': " + String.join("; ", problems)
				+ ". Check redis.discovery.sentinel.nodes and .master, or set redis.discovery.sentinel.fail-fast=false"
				+ " to start anyway and keep asking.");
	}

}
