package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.redisdiscovery.topology.NodeRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressBookTests {

	private static final Instant NOW = MutableClock.START;

	private MutableClock clock = new MutableClock();

	@Test
	void roundRobinShouldSpreadNewConnectionsEvenlyWhateverTheAnswerOrder() {
		AddressBook pool = pool(AddressSelection.ROUND_ROBIN);
		pool.answered(addresses("10.0.0.3", "10.0.0.1", "10.0.0.2"));
		List<String> picks = picks(pool, 3);
		pool.answered(addresses("10.0.0.1", "10.0.0.2", "10.0.0.3"));
		picks.addAll(picks(pool, 3));
		assertThat(picks).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3");
	}

	@Test
	void firstShouldFollowTheServersOrder() {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.3", "10.0.0.1"));
		assertThat(picks(pool, 2)).containsExactly("10.0.0.3", "10.0.0.3");
	}

	@Test
	void nextShouldSkipAnAddressWhileItCoolsDown() throws Exception {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1", "10.0.0.2"));
		assertThat(pool.coolDown(InetAddress.getByName("10.0.0.1"))).isTrue();
		assertThat(picks(pool, 2)).containsExactly("10.0.0.2", "10.0.0.2");
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
	}

	@Test
	void nextShouldSkipASuspectAddressUntilItAcceptsAgain() throws Exception {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1", "10.0.0.2"));
		assertThat(pool.suspect(InetAddress.getByName("10.0.0.1"), Duration.ofSeconds(2))).isTrue();
		assertThat(picks(pool, 2)).containsExactly("10.0.0.2", "10.0.0.2");
		pool.accepts(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
	}

	@Test
	void suspicionShouldEndByItselfAndNotEndACoolDown() throws Exception {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1", "10.0.0.2"));
		pool.suspect(InetAddress.getByName("10.0.0.1"), Duration.ofSeconds(2));
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		pool.accepts(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.2");
	}

	@Test
	void nextShouldPreferASuspectAddressToOneThatCoolsDown() throws Exception {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1", "10.0.0.2"));
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		pool.suspect(InetAddress.getByName("10.0.0.2"), Duration.ofSeconds(2));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.2");
	}

	@Test
	void nextShouldTryTheAddressBackSoonestWhenAllCoolDown() throws Exception {
		AddressBook pool = pool(AddressSelection.ROUND_ROBIN);
		pool.answered(addresses("10.0.0.1", "10.0.0.2"));
		pool.coolDown(InetAddress.getByName("10.0.0.2"));
		this.clock.advance(Duration.ofSeconds(1));
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 2)).containsExactly("10.0.0.2", "10.0.0.2");
	}

	@Test
	void recoveredShouldEndTheCoolDown() throws Exception {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1", "10.0.0.2"));
		pool.coolDown(InetAddress.getByName("10.0.0.1"));
		pool.connected(InetAddress.getByName("10.0.0.1"));
		assertThat(picks(pool, 1)).containsExactly("10.0.0.1");
	}

	@Test
	void coolDownShouldIgnoreAddressesOutsideThePool() throws Exception {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1"));
		assertThat(pool.coolDown(InetAddress.getByName("10.9.9.9"))).isFalse();
	}

	@Test
	void nextShouldKeepTheHostnameForTls() {
		AddressBook pool = pool(AddressSelection.FIRST);
		pool.answered(addresses("10.0.0.1"));
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

	@Test
	void anAddressAppearingInTheAnswerShouldBeKnownAndPicked() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1"));
		book.answered(addresses("10.0.0.1", "10.0.0.2"));
		assertThat(book.state(ip("10.0.0.2")).inAnswer()).isTrue();
		book.coolDown(ip("10.0.0.1"));
		assertThat(picks(book, 1)).containsExactly("10.0.0.2");
	}

	@Test
	void anAddressLeavingTheAnswerWithoutConnectionsShouldBeForgotten() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1", "10.0.0.2"));
		book.probed(ip("10.0.0.1"), NodeRole.MASTER, true);
		book.coolDown(ip("10.0.0.1"));
		book.answered(addresses("10.0.0.2"));
		assertThat(book.state(ip("10.0.0.1"))).isEqualTo(AddressState.UNKNOWN);
		book.answered(addresses("10.0.0.1", "10.0.0.2"));
		// Whatever answers at that address now has not been probed, nor has it failed.
		assertThat(book.state(ip("10.0.0.1"))).satisfies((state) -> {
			assertThat(state.role()).isEqualTo(NodeRole.UNKNOWN);
			assertThat(state.reachable()).isFalse();
			assertThat(state.coolingDownUntil()).isNull();
		});
	}

	@Test
	void anAddressLeavingTheAnswerWithConnectionsShouldKeepThemUntilTheyCloseAndTheNextAnswer() throws Exception {
		AddressBook book = pool(AddressSelection.ROUND_ROBIN);
		book.answered(addresses("10.0.0.1", "10.0.0.2"));
		book.connected(ip("10.0.0.1"));
		book.probed(ip("10.0.0.1"), NodeRole.MASTER, true);
		book.answered(addresses("10.0.0.2"));
		assertThat(book.state(ip("10.0.0.1"))).satisfies((state) -> {
			assertThat(state.inAnswer()).isFalse();
			assertThat(state.connections()).isOne();
			assertThat(state.role()).isEqualTo(NodeRole.MASTER);
		});
		assertThat(book.connectedAddresses()).containsExactly(ip("10.0.0.1"));
		assertThat(picks(book, 2)).containsExactly("10.0.0.2", "10.0.0.2");
		book.closed(ip("10.0.0.1"));
		assertThat(book.connectedAddresses()).isEmpty();
		assertThat(book.state(ip("10.0.0.1")).role()).as("until the next answer").isEqualTo(NodeRole.MASTER);
		book.answered(addresses("10.0.0.2"));
		assertThat(book.state(ip("10.0.0.1"))).isEqualTo(AddressState.UNKNOWN);
	}

	@Test
	void aConnectFailureShouldCoolTheAddressDownUntilAConnectionSucceeds() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1", "10.0.0.2"));
		book.connected(ip("10.0.0.1"));
		book.closed(ip("10.0.0.1"));
		assertThat(book.coolDown(ip("10.0.0.1"))).isTrue();
		assertThat(book.state(ip("10.0.0.1"))).satisfies((state) -> {
			assertThat(state.reachable()).isFalse();
			assertThat(state.coolingDownUntil()).isEqualTo(NOW.plusSeconds(5));
		});
		assertThat(book.coolingDownUntil(ip("10.0.0.1"))).isEqualTo(NOW.plusSeconds(5));
		book.connected(ip("10.0.0.1"));
		assertThat(book.state(ip("10.0.0.1"))).satisfies((state) -> {
			assertThat(state.reachable()).isTrue();
			assertThat(state.coolingDownUntil()).isNull();
			assertThat(state.connections()).isOne();
		});
	}

	@Test
	void aConnectFailureOutsideTheAnswerShouldLeaveNothingBehind() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1"));
		book.coolDown(ip("10.9.9.9"));
		assertThat(book.state(ip("10.9.9.9"))).isEqualTo(AddressState.UNKNOWN);
	}

	@Test
	void aDroppedConnectionShouldMakeItsAddressSuspectWithOneCheckAtATime() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1", "10.0.0.2"));
		book.connected(ip("10.0.0.1"));
		book.closed(ip("10.0.0.1"));
		assertThat(book.suspect(ip("10.0.0.1"), Duration.ofSeconds(2))).isTrue();
		assertThat(book.startCheck(ip("10.0.0.1"))).isTrue();
		assertThat(book.startCheck(ip("10.0.0.1"))).as("while the first runs").isFalse();
		assertThat(book.isSuspect(ip("10.0.0.1"))).isTrue();
		book.accepts(ip("10.0.0.1"));
		book.checkEnded(ip("10.0.0.1"));
		assertThat(book.state(ip("10.0.0.1"))).satisfies((state) -> {
			assertThat(state.suspectUntil()).isNull();
			assertThat(state.checking()).isFalse();
		});
		assertThat(book.startCheck(ip("10.0.0.1"))).as("after the first ended").isTrue();
	}

	@Test
	void aRunningCheckShouldOutliveItsAddressLeavingTheAnswer() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1"));
		book.suspect(ip("10.0.0.1"), Duration.ofSeconds(2));
		book.startCheck(ip("10.0.0.1"));
		book.answered(addresses("10.0.0.2"));
		assertThat(book.state(ip("10.0.0.1"))).satisfies((state) -> {
			assertThat(state.checking()).isTrue();
			assertThat(state.suspectUntil()).isNull();
		});
		assertThat(book.startCheck(ip("10.0.0.1"))).isFalse();
		book.checkEnded(ip("10.0.0.1"));
		assertThat(book.state(ip("10.0.0.1"))).isEqualTo(AddressState.UNKNOWN);
	}

	@Test
	void connectionsShouldBeCountedPerAddressWhateverTheHostname() throws Exception {
		AddressBook book = pool(AddressSelection.FIRST);
		book.answered(addresses("10.0.0.1"));
		book.connected(ip("10.0.0.1"));
		book.connected(addresses("10.0.0.1").get(0));
		book.connected(ip("10.0.0.7"));
		book.closed(ip("10.0.0.1"));
		assertThat(book.state(addresses("10.0.0.1").get(0)).connections()).isOne();
		assertThat(book.connectedAddresses()).containsExactlyInAnyOrder(ip("10.0.0.1"), ip("10.0.0.7"));
		assertThat(book.state(ip("10.0.0.7")).inAnswer()).isFalse();
	}

	private AddressBook pool(AddressSelection selection) {
		return new AddressBook("db.example", 12000, selection, Duration.ofSeconds(5), this.clock);
	}

	private static List<String> picks(AddressBook pool, int count) {
		List<String> picks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			picks.add(pool.next().getAddress().getHostAddress());
		}
		return picks;
	}

	private static InetAddress ip(String ip) throws UnknownHostException {
		return InetAddress.getByName(ip);
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

}
