package io.redisdiscovery.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away certificate authority, made with the {@code openssl} CLI, that signs server certificates for lab nodes.
 */
public final class LabCertificates {

	private static final long OPENSSL_TIMEOUT_SECONDS = 30;

	private final Path directory;

	private final Path caCertificate;

	private final Path caKey;

	private final AtomicInteger serials = new AtomicInteger();

	private LabCertificates(Path directory, Path caCertificate, Path caKey) {
		this.directory = directory;
		this.caCertificate = caCertificate;
		this.caKey = caKey;
	}

	/**
	 * Creates a new certificate authority (valid one day) whose files live in {@code directory}.
	 */
	public static LabCertificates createAuthority(Path directory, String name) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot create " + directory, ex);
		}
		Path certificate = directory.resolve(name + "-ca.pem");
		Path key = directory.resolve(name + "-ca.key");
		openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + name + " lab CA",
				"-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
				"-keyout", key.toString(), "-out", certificate.toString());
		return new LabCertificates(directory, certificate, key);
	}

	/**
	 * The CA certificate (PEM): what a client trusts.
	 */
	public Path caCertificate() {
		return this.caCertificate;
	}

	/**
	 * Issues a server certificate for {@code 127.0.0.1} and {@code localhost}.
	 */
	public LabTls issueForLoopback(String name) {
		return issue(name, "IP:127.0.0.1", "DNS:localhost");
	}

	/**
	 * Issues a server certificate signed by this CA with the given subject alternative names, such as
	 * {@code IP:127.0.0.1} or {@code DNS:db.lab.test}; the first name without its type becomes the common name.
	 */
	public LabTls issue(String name, String... subjectAltNames) {
		if (subjectAltNames.length == 0) {
			throw new IllegalArgumentException("A server certificate needs at least one subject alternative name");
		}
		Path key = this.directory.resolve(name + ".key");
		Path request = this.directory.resolve(name + ".csr");
		Path extensions = this.directory.resolve(name + ".ext");
		Path certificate = this.directory.resolve(name + ".pem");
		String commonName = subjectAltNames[0].substring(subjectAltNames[0].indexOf(':') + 1);
		try {
			Files.writeString(extensions, "subjectAltName=" + String.join(",", subjectAltNames)
					+ "\nextendedKeyUsage=serverAuth,clientAuth\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot write " + extensions, ex);
		}
		openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-keyout",
				key.toString(), "-out", request.toString());
		openssl("x509", "-req", "-in", request.toString(), "-CA", this.caCertificate.toString(), "-CAkey",
				this.caKey.toString(), "-set_serial", String.valueOf(this.serials.incrementAndGet()), "-days", "1",
				"-extfile", extensions.toString(), "-out", certificate.toString());
		return new LabTls(certificate, key, this.caCertificate);
	}

	private static void openssl(String... args) {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(Arrays.asList(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new RedisLabException("openssl did not finish within " + OPENSSL_TIMEOUT_SECONDS + " s: "
						+ command);
			}
			if (process.exitValue() != 0) {
				throw new RedisLabException("openssl failed (" + process.exitValue() + "): " + command + "\n"
						+ new String(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new RedisLabException("Cannot run openssl (is it installed?): " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisLabException("Interrupted while running openssl", ex);
		}
	}

}
