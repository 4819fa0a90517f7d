package io.redisdiscovery.sample.lab;

import java.util.List;
import java.util.Map;

import io.redisdiscovery.lab.RedisServer;

/**
 * One running lab deployment: the {@code redis.discovery.*} properties that reach it and the faults it can suffer.
 */
interface LabTopology {

	/**
	 * The value of {@code sample.lab.topology} that starts this deployment.
	 */
	String name();

	/**
	 * The {@code redis.discovery.*} properties a user would write to reach this deployment.
	 */
	Map<String, String> discoveryProperties();

	List<LabFault> faults();

	/**
	 * The node that, as the deployment itself sees it now, holds the primary copy of {@code key}.
	 */
	RedisServer primaryFor(String key);

	/**
	 * Injects the named fault and waits until the deployment has recovered from it on its own.
	 */
	void inject(String fault);

}
