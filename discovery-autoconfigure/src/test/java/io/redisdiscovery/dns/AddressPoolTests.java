package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPoolTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private MutableClock clock = new MutableClock();

	@Test
	void roundRobinShouldSpreadNewConnectionsEvenlyWhateverTheAnswerOrder() {
		AddressPool pool = pool(AddressSelection.ROUND_ROBIN);
		pool.update(addresses("10.0.0.3", "10.0.0.1", "10.0.0.2"));
		List<String> picks = picks(pool, 3);
		pool.update(addresses("10.0.0.1", "10.0.0.2", "10.0.0.3"));
		picks.addAll(picks(pool, 3));
		assertThat(picks).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3");
	}

	@Test
	void firstShouldFollowTheServersOrder() {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.3", "10.0.0.1"));
		assertThat(picks(pool, 2)).containsExactly("10.0.0.3", "10.0.0.3");
	}

	@Test
	void nextShouldSkipAnAddressWhileItCoolsDown() throws Exception {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1", "10.0.0.2"));
		assertThat(pool.coolDown(InetAddress.getByName("10.0.0.1"))).isTrue();
		assertThat(picks(pool, 2)).containsExactly("10.0.0.2", "10.0.0.2");
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
	}

	@Test
	void nextShouldSkipASuspectAddressUntilItAcceptsAgain() throws Exception {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1", "10.0.0.2"));
		assertThat(pool.suspect(InetAddress.getByName("10.0.0.1"), Duration.ofSeconds(2))).isTrue();
		assertThat(picks(pool, 2)).containsExactly("10.0.0.2", "10.0.0.2");
		pool.accepts(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
	}

	@Test
	void suspicionShouldEndByItselfAndNotEndACoolDown() throws Exception {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1", "10.0.0.2"));
		pool.suspect(InetAddress.getByName("10.0.0.1"), Duration.ofSeconds(2));
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		pool.accepts(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.2");
	}

	@Test
	void nextShouldPreferASuspectAddressToOneThatCoolsDown() throws Exception {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1", "10.0.0.2"));
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		pool.suspect(InetAddress.getByName("10.0.0.2"), Duration.ofSeconds(2));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.2");
	}

	@Test
	void nextShouldTryTheAddressBackSoonestWhenAllCoolDown() throws Exception {
		AddressPool pool = pool(AddressSelection.ROUND_ROBIN);
		pool.update(addresses("10.0.0.1", "10.0.0.2"));
		pool.coolDown(InetAddress.getByName("10.0.0.2"));
		this.clock.advance(Duration.ofSeconds(1));
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 2)).containsExactly("10.0.0.2", "10.0.0.2");
	}

	@Test
	void recoveredShouldEndTheCoolDown() throws Exception {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1", "10.0.0.2"));
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		pool.recovered(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
	}

	@Test
	void coolDownShouldIgnoreAddressesOutsideThePool() throws Exception {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1"));
		assertThat(pool.coolDown(InetAddress.getByName("10.9.9.9"))).isFalse();
	}

	@Test
	void nextShouldKeepTheHostnameForTls() {
		AddressPool pool = pool(AddressSelection.FIRST);
		pool.update(addresses("10.0.0.1"));
		InetSocketAddress next = pool.next();
		assertThat(next).isNotNull();
		assertThat(next.getHostString()).isEqualTo("db.example");
		assertThat(next.isUnresolved()).isFalse();
		assertThat(next.getPort()).isEqualTo(12000);
	}

	@Test
	void nextShouldBeNullBeforeTheFirstAnswer() {
		assertThat(pool(AddressSelection.ROUND_ROBIN).next()).isNull();
	}

	private AddressPool pool(AddressSelection selection) {
		return new AddressPool("db.example", 12000, selection, Duration.ofSeconds(5), this.clock);
	}

	private static List<String> picks(AddressPool pool, int count) {
		List<String> picks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			picks.add(pool.next().getAddress().getHostAddress());
		}
		return picks;
	}

	private static List<InetAddress> addresses(String... ips) {
		List<InetAddress> addresses = new ArrayList<>();
		for (String ip : ips) {
			try {
				addresses.add(InetAddress.getByAddress("db.example", InetAddress.getByName(ip).getAddress()));
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(ex);
			}
		}
		return addresses;
	}

	private static final class MutableClock extends Clock {

		private Instant now = NOW;

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
