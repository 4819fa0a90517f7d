package io.redisdiscovery.lab.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabException;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.lab.RespClient;
import io.redisdiscovery.lab.internal.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TcpProxy}, with real Redis servers as backends.
 */
@ExtendWith(RedisLabExtension.class)
class TcpProxyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static RedisLab lab;

	private static RedisServer first;

	private static RedisServer second;

	@BeforeAll
	static void setUp(RedisLab redisLab) {
		lab = redisLab;
		first = lab.startServer();
		second = lab.startServer();
	}

	@Test
	void forwardsRespTraffic() {
		TcpProxy proxy = lab.startProxy(first.address());

		assertThat(proxy.host()).isEqualTo("127.0.0.1");
		assertThat(proxy.hostAndPort()).isEqualTo("127.0.0.1:" + proxy.port());
		try (RespClient client = RespClient.connect(proxy.address(), TIMEOUT)) {
			assertThat(client.call("SET", "through-proxy", "yes")).isEqualTo("OK");
			assertThat(client.call("GET", "through-proxy")).isEqualTo("yes");
			assertThat(proxy.activeConnections()).isEqualTo(1);
		}
		assertThat(first.command("GET", "through-proxy")).isEqualTo("yes");
		await().atMost(TIMEOUT).until(() -> proxy.activeConnections() == 0);
		assertThat(proxy.acceptedConnections()).isEqualTo(1);
		assertThat(proxy.acceptTimes()).hasSize(1);
	}

	@Test
	void roundRobinsAcrossBackendsOnAnotherLoopbackAddress() {
		TcpProxy proxy = lab.startProxy("127.0.0.11", first.address(), second.address());

		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ports.add(backendPortThrough(proxy));
		}

		assertThat(proxy.hostAndPort()).startsWith("127.0.0.11:");
		assertThat(ports).containsExactlyInAnyOrder(first.port(), first.port(), second.port(), second.port());
		assertThat(ports.get(0)).isNotEqualTo(ports.get(1));
		assertThat(proxy.acceptedConnections()).isEqualTo(4);
	}

	@Test
	void skipsABackendThatRefusesConnections() {
		InetSocketAddress dead = new InetSocketAddress("127.0.0.1", FreePorts.pick("127.0.0.1"));
		TcpProxy proxy = lab.startProxy(dead, first.address());

		for (int i = 0; i < 3; i++) {
			assertThat(backendPortThrough(proxy)).isEqualTo(first.port());
		}

		proxy.setBackends(second.address());
		assertThat(backendPortThrough(proxy)).isEqualTo(second.port());
	}

	@Test
	void killConnectionsDropsEveryClient() {
		TcpProxy proxy = lab.startProxy(first.address());
		try (RespClient a = RespClient.connect(proxy.address(), TIMEOUT);
				RespClient b = RespClient.connect(proxy.address(), TIMEOUT)) {
			a.call("PING");
			b.call("PING");
			assertThat(proxy.activeConnections()).isEqualTo(2);

			proxy.killConnections();

			assertThat(proxy.activeConnections()).isZero();
			assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> a.call("PING"));
			assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> b.call("PING"));
		}
		assertThat(RespClient.call(proxy.address(), TIMEOUT, "PING")).isEqualTo("PONG");
	}

	@Test
	void refusesNewConnectionsAndResumesOnTheSamePort() {
		TcpProxy proxy = lab.startProxy(first.address());
		try (RespClient existing = RespClient.connect(proxy.address(), TIMEOUT)) {
			existing.call("PING");

			proxy.refuseNewConnections(true);

			assertThatExceptionOfType(RedisLabException.class)
				.isThrownBy(() -> RespClient.call(proxy.address(), TIMEOUT, "PING"))
				.withRootCauseInstanceOf(ConnectException.class);
			assertThat(existing.call("PING")).isEqualTo("PONG");

			proxy.refuseNewConnections(false);

			assertThat(RespClient.call(proxy.address(), TIMEOUT, "PING")).isEqualTo("PONG");
		}
	}

	@Test
	void blackholeSilencesNewAndExistingConnectionsWithoutClosingThem() {
		TcpProxy proxy = lab.startProxy(first.address());
		try (RespClient existing = RespClient.connect(proxy.address(), Duration.ofMillis(300))) {
			existing.call("PING");

			proxy.blackhole(true);

			assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> existing.call("PING"))
				.withRootCauseInstanceOf(SocketTimeoutException.class);
			try (RespClient fresh = RespClient.connect(proxy.address(), Duration.ofMillis(300))) {
				assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> fresh.call("PING"))
					.withRootCauseInstanceOf(SocketTimeoutException.class);
				assertThat(proxy.activeConnections()).isEqualTo(2);
			}
		}
		proxy.blackhole(false);
		assertThat(RespClient.call(proxy.address(), TIMEOUT, "PING")).isEqualTo("PONG");
	}

	@Test
	void silenceConnectionsLeavesCurrentConnectionsOpenButMuteWhileNewOnesWork() {
		TcpProxy proxy = lab.startProxy(first.address());
		try (RespClient existing = RespClient.connect(proxy.address(), Duration.ofMillis(300))) {
			existing.call("PING");

			proxy.silenceConnections();

			assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> existing.call("PING"))
				.withRootCauseInstanceOf(SocketTimeoutException.class);
			assertThat(RespClient.call(proxy.address(), TIMEOUT, "PING")).isEqualTo("PONG");
			// The fresh connection is gone once the proxy notices; the silenced one stays open.
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(proxy.activeConnections()).isEqualTo(1));
		}
	}

	@Test
	void latencyDelaysEveryForwardedChunk() {
		TcpProxy proxy = lab.startProxy(first.address());
		proxy.setLatency(Duration.ofMillis(150));
		try (RespClient client = RespClient.connect(proxy.address(), TIMEOUT)) {
			long start = System.nanoTime();
			assertThat(client.call("PING")).isEqualTo("PONG");
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

			// One delay on the request, one on the reply.
			assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);

			proxy.setLatency(Duration.ZERO);
			start = System.nanoTime();
			client.call("PING");
			// Generous bound for a loaded CI machine; still well below the two delays above.
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300);
		}
	}

	@Test
	void injectGarbageBreaksTheClientProtocol() {
		TcpProxy proxy = lab.startProxy(first.address());
		try (RespClient client = RespClient.connect(proxy.address(), TIMEOUT)) {
			client.call("PING");

			proxy.injectGarbage();

			assertThatExceptionOfType(RedisLabException.class).isThrownBy(() -> client.call("PING"))
				.withMessageContaining("Protocol error");
		}
	}

	@Test
	void closeReleasesThePortAndEveryConnection() throws IOException {
		TcpProxy proxy = TcpProxy.start("127.0.0.1", first.address());
		try (Socket socket = new Socket()) {
			socket.connect(proxy.address(), 1000);
			socket.setSoTimeout(2000);
			await().atMost(TIMEOUT).until(() -> proxy.activeConnections() == 1);

			proxy.close();

			InputStream in = socket.getInputStream();
			assertThat(in.read()).isEqualTo(-1);
			assertThat(proxy.activeConnections()).isZero();
			assertThat(FreePorts.isFree(proxy.host(), proxy.port())).isTrue();
		}
	}

	private static int backendPortThrough(TcpProxy proxy) {
		Object reply = RespClient.call(proxy.address(), TIMEOUT, "CONFIG", "GET", "port");
		return Integer.parseInt(String.valueOf(((List<?>) reply).get(1)));
	}

}
