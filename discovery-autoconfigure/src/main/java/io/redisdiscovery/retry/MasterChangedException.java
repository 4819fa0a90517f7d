package io.redisdiscovery.retry;

import org.springframework.data.redis.RedisSystemException;

/**
 * A transaction or pipeline that a failover interrupted and that the starter could not safely send again to the new
 * master: a transaction on watched keys (discarded, so not applied; run it again) or a pipeline with writes that a
 * repeat would apply twice (some may have been applied, by the old or the new master).
 *
 * @since 0.1.0
 */
public class MasterChangedException extends RedisSystemException {

	/**
	 * Creates an exception.
	 * @param message what happened and what the application may do
	 */
	public MasterChangedException(String message) {
		super(message, null);
	}

}
