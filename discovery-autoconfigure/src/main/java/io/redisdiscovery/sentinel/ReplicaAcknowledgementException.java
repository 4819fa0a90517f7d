package io.redisdiscovery.sentinel;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown when fewer replicas than required acknowledged a write with {@code WAIT}: the master applied the write,
 * but it may be lost if the master fails now.
 *
 * @since 0.1.0
 */
public class ReplicaAcknowledgementException extends DataAccessResourceFailureException {

	/**
	 * Creates an exception.
	 * @param required replicas required
	 * @param acknowledged replicas that acknowledged
	 * @param timeoutMillis how long WAIT waited
	 */
	public ReplicaAcknowledgementException(int required, long acknowledged, long timeoutMillis) {
		super("Write applied on the master but acknowledged by " + acknowledged + " of " + required
				+ " required replicas within " + timeoutMillis + " ms");
	}

}
