package io.redisdiscovery.lab;

/**
 * An ACL user with full access ({@code user <name> on >password ~* &* +@all}) that the lab adds for the application.
 *
 * @param name the user name
 * @param password the user's password
 */
public record AclUser(String name, String password) {

	String configLine() {
		return "user " + this.name + " on >" + this.password + " ~* &* +@all";
	}

	@Override
	public String toString() {
		return "AclUser[" + this.name + "]";
	}

}
