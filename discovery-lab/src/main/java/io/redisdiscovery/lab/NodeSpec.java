package io.redisdiscovery.lab;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the lab needs to launch one node: its name, where it listens, its TLS material if any, and how to write its
 * config once a port is picked.
 */
record NodeSpec(String name, String host, Kind kind, @Nullable String password, @Nullable LabTls tls, Config config) {

	NodeSpec(String name, String host, Kind kind, @Nullable String password, Config config) {
		this(name, host, kind, password, null, config);
	}

	/**
	 * How the node runs, which decides the command line, readiness check and port needs.
	 */
	enum Kind {

		DATA, CLUSTER, SENTINEL

	}

	/**
	 * Writes the node's config lines for the port the lab picked.
	 */
	@FunctionalInterface
	interface Config {

		List<String> lines(int port, Path directory);

	}

}
