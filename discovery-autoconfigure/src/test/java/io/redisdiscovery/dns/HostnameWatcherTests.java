package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import io.redisdiscovery.dns.DnsAnswer.Family;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link HostnameWatcher} fed a fake sequence of DNS answers; TTLs are long, so that only the lookups a test asks
 * for happen.
 */
class HostnameWatcherTests {

	private static final Duration TTL = Duration.ofSeconds(60);

	private final MutableClock clock = new MutableClock();

	private final FakeDns dns = new FakeDns();

	private final List<String> published = new CopyOnWriteArrayList<>();

	private final AddressBook book = new AddressBook("db.example", 12000, AddressSelection.ROUND_ROBIN,
			Duration.ofSeconds(5), this.clock);

	private final List<HostnameWatcher> watchers = new ArrayList<>();

	@AfterEach
	void close() {
		this.watchers.forEach(HostnameWatcher::close);
	}

	@Test
	void answersShouldReachTheBookAndBePublished() {
		this.dns.answers(answer("10.0.0.1", "10.0.0.2"), answer("10.0.0.2"));
		HostnameWatcher watcher = watcher(true);
		watcher.start();
		assertThat(hosts(this.book.addresses())).containsExactly("10.0.0.1", "10.0.0.2");
		this.clock.advance(Duration.ofSeconds(1));
		watcher.lookupNow("refresh");
		assertThat(hosts(this.book.addresses())).containsExactly("10.0.0.2");
		assertThat(watcher.status()).satisfies((status) -> {
			assertThat(status.stale()).isFalse();
			assertThat(status.lastResolution()).isEqualTo(MutableClock.START.plusSeconds(1));
			assertThat(status.ttl()).isEqualTo(TTL);
			assertThat(status.lastError()).isNull();
		});
		assertThat(this.published).containsExactly("startup", "refresh");
	}

	@Test
	void startShouldThrowWhenTheHostnameDoesNotResolveAndFailFastIsSet() {
		this.dns.answers(() -> {
			throw new DnsLookupException("No such host 'db.example'", false, null);
		});
		HostnameWatcher watcher = watcher(true);
		assertThatExceptionOfType(DnsLookupException.class).isThrownBy(watcher::start);
		assertThat(watcher.status().stale()).isTrue();
		assertThat(watcher.status().lastError()).isEqualTo("No such host 'db.example'");
	}

	@Test
	void aFailedLookupShouldKeepTheLastKnownAddressesAndMarkThemStale() {
		this.dns.answers(answer("10.0.0.1"), () -> {
			throw new DnsLookupException("No DNS server answered", true, null);
		}, answer("10.0.0.3"));
		HostnameWatcher watcher = watcher(false);
		watcher.start();
		watcher.lookupNow("refresh");
		assertThat(hosts(this.book.addresses())).containsExactly("10.0.0.1");
		assertThat(watcher.status().stale()).isTrue();
		assertThat(watcher.status().consecutiveFailures()).isOne();
		assertThat(this.published).containsExactly("startup", "DNS lookup failed");
		watcher.lookupNow("refresh");
		assertThat(hosts(this.book.addresses())).containsExactly("10.0.0.3");
		assertThat(watcher.status().stale()).isFalse();
		assertThat(watcher.status().consecutiveFailures()).isZero();
	}

	@Test
	void anUnansweredFamilyShouldKeepItsAddressesWithoutMakingThemStale() {
		this.dns.answers(answer("10.0.0.1", "::1"),
				() -> new DnsAnswer(List.of(ip("::2")), TTL, Set.of(Family.IPV4)));
		HostnameWatcher watcher = watcher(false);
		watcher.start();
		watcher.lookupNow("refresh");
		assertThat(hosts(this.book.addresses())).containsExactly("10.0.0.1", "0:0:0:0:0:0:0:2");
		assertThat(watcher.status().stale()).isFalse();
		assertThat(watcher.status().lastError())
			.isEqualTo("No answer to the A query for 'db.example'; keeping the last known A addresses");
	}

	private HostnameWatcher watcher(boolean failFast) {
		DnsSettings settings = new DnsSettings("db.example", 12000, List.of(), TTL, Duration.ofSeconds(1), TTL,
				AddressSelection.ROUND_ROBIN, Duration.ofSeconds(5), Duration.ofSeconds(1), failFast);
		HostnameWatcher watcher = new HostnameWatcher(settings, this.dns, this.book, this.published::add,
				this.clock, new Object());
		this.watchers.add(watcher);
		return watcher;
	}

	private static Supplier<DnsAnswer> answer(String... ips) {
		return () -> new DnsAnswer(List.of(ips).stream().map(HostnameWatcherTests::ip).toList(), TTL);
	}

	private static InetAddress ip(String ip) {
		try {
			return InetAddress.getByName(ip);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	private static List<String> hosts(List<InetAddress> addresses) {
		return addresses.stream().map(InetAddress::getHostAddress).toList();
	}

	/**
	 * Answers each lookup with the next outcome of a sequence, then with the last one again.
	 */
	private static final class FakeDns implements Function<String, DnsAnswer> {

		private final Deque<Supplier<DnsAnswer>> outcomes = new ArrayDeque<>();

		@SafeVarargs
		final void answers(Supplier<DnsAnswer>... outcomes) {
			this.outcomes.addAll(List.of(outcomes));
		}

		@Override
		public synchronized DnsAnswer apply(String hostname) {
			Supplier<DnsAnswer> next = (this.outcomes.size() > 1) ? this.outcomes.poll() : this.outcomes.peek();
			return next.get();
		}

	}

}
