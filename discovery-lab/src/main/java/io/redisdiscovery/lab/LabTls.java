package io.redisdiscovery.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's TLS material: its certificate and key, and the CA that signed them (also used to verify peers).
 *
 * @param certificate the server certificate (PEM)
 * @param key its private key (PEM, unencrypted)
 * @param caCertificate the signing CA's certificate (PEM)
 */
public record LabTls(Path certificate, Path key, Path caCertificate) {

	/**
	 * The {@code redis.conf} lines that open a TLS port next to the lab's plain one; replication, cluster bus and
	 * Sentinel links use TLS too, so nodes announce the TLS port.
	 */
	List<String> configLines(int tlsPort, boolean cluster) {
		List<String> lines = new ArrayList<>();
		lines.add("tls-port " + tlsPort);
		lines.add("tls-cert-file " + RedisConfig.quote(this.certificate.toString()));
		lines.add("tls-key-file " + RedisConfig.quote(this.key.toString()));
		lines.add("tls-ca-cert-file " + RedisConfig.quote(this.caCertificate.toString()));
		lines.add("tls-auth-clients no");
		lines.add("tls-replication yes");
		if (cluster) {
			lines.add("tls-cluster yes");
		}
		return lines;
	}

}
