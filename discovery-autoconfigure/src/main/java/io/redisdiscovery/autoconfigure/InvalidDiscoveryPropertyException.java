package io.redisdiscovery.autoconfigure;

/**
 * Thrown at startup when a {@code redis.discovery.*} property has a value the starter cannot work with.
 * The message never contains the value of a secret.
 *
 * @since 0.1.0
 */
public class InvalidDiscoveryPropertyException extends RuntimeException {

	private final String property;

	private final String problem;

	private final String fix;

	/**
	 * Creates an exception.
	 * @param property the full name of the property, for example {@code redis.discovery.standalone.port}
	 * @param problem what is wrong with its value
	 * @param fix how to correct it
	 */
	public InvalidDiscoveryPropertyException(String property, String problem, String fix) {
		super("Invalid value of property '" + property + "': " + problem);
		this.property = property;
		this.problem = problem;
		this.fix = fix;
	}

	/**
	 * The property whose value is wrong.
	 * @return the full property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What is wrong with the value.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * How to correct the value.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

}
