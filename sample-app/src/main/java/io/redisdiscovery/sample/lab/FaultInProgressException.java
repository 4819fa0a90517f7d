package io.redisdiscovery.sample.lab;

/**
 * Thrown when a fault is asked for while the lab is still recovering from another one.
 */
class FaultInProgressException extends RuntimeException {

	FaultInProgressException(String running) {
		super("The lab is still recovering from '" + running + "'");
	}

}
