package io.redisdiscovery.dns;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.redisdiscovery.dns.DnsAnswer.Family;
import io.redisdiscovery.topology.FailureDescriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks the hostname up again when its records' TTL expires, or sooner when asked ({@link #lookupSoon}), hands each
 * answer to the {@link AddressBook} and publishes; lookups and publishes run on one thread, in turn.
 */
final class HostnameWatcher implements AutoCloseable {

	// The source's logger: the watching is what users know as the source's.
	private static final Logger logger = LoggerFactory.getLogger(DnsTopologySource.class);

	private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(250);

	private static final long STOP_TIMEOUT_SECONDS = 5;

	private final DnsSettings settings;

	private final Function<String, DnsAnswer> lookup;

	private final AddressBook book;

	private final Consumer<String> publish;

	private final Clock clock;

	private final Object lock;

	private final ScheduledExecutorService scheduler;

	private final AtomicBoolean lookupScheduled = new AtomicBoolean();

	private final AtomicBoolean publishPending = new AtomicBoolean();

	private volatile long lastEarlyLookupNanos;

	private volatile LookupStatus status = LookupStatus.NONE;

	private volatile boolean closed;

	/**
	 * Creates a watcher; {@link #start} looks up for the first time.
	 * @param settings what to look up and how often
	 * @param lookup asks DNS for the hostname's addresses
	 * @param book where the answers go
	 * @param publish publishes the topology, given the reason
	 * @param clock the clock
	 * @param lock held while an answer and the status change together, and while the topology is described
	 */
	HostnameWatcher(DnsSettings settings, Function<String, DnsAnswer> lookup, AddressBook book,
			Consumer<String> publish, Clock clock, Object lock) {
		this.settings = settings;
		this.lookup = lookup;
		this.book = book;
		this.publish = publish;
		this.clock = clock;
		this.lock = lock;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-discovery-dns");
			thread.setDaemon(true);
			return thread;
		});
		this.lastEarlyLookupNanos = System.nanoTime() - settings.minTtl().toNanos();
	}

	/**
	 * Looks the hostname up for the first time and starts watching it.
	 * @throws DnsLookupException when the hostname does not resolve and {@link DnsSettings#failFast()} is set
	 */
	void start() {
		schedule(lookupAndPublish("startup", this.settings.failFast()));
	}

	/**
	 * Looks the hostname up now, on the caller's thread, and publishes.
	 * @param reason why
	 */
	void lookupNow(String reason) {
		lookupAndPublish(reason, false);
	}

	/**
	 * How the lookups went; read it while holding the lock to see it together with the book's answer.
	 * @return the status
	 */
	LookupStatus status() {
		return this.status;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Looks the hostname up again at once, or at the earliest {@code min-ttl} after the previous early lookup.
	 * @param reason why
	 */
	void lookupSoon(String reason) {
		if (this.closed || !this.lookupScheduled.compareAndSet(false, true)) {
			return;
		}
		long sincePrevious = System.nanoTime() - this.lastEarlyLookupNanos;
		long delay = Math.max(0, this.settings.minTtl().toNanos() - sincePrevious);
		try {
			this.scheduler.schedule(() -> {
				this.lastEarlyLookupNanos = System.nanoTime();
				this.lookupScheduled.set(false);
				lookupOrRetryLater(reason);
			}, delay, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile.
			this.lookupScheduled.set(false);
		}
	}

	/**
	 * Publishes soon; calls made while one is pending join it, so that a burst of connections opening and closing
	 * publishes a few snapshots, not one per connection.
	 * @param reason why
	 */
	void publishSoon(String reason) {
		if (this.closed || !this.publishPending.compareAndSet(false, true)) {
			return;
		}
		try {
			this.scheduler.execute(() -> {
				this.publishPending.set(false);
				this.publish.accept(reason);
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile.
			this.publishPending.set(false);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.scheduler.shutdownNow();
		try {
			this.scheduler.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void schedule(Duration delay) {
		if (this.closed) {
			return;
		}
		try {
			this.scheduler.schedule(() -> schedule(lookupOrRetryLater("record TTL expired")), delay.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile: nothing left to watch.
		}
	}

	/**
	 * Looks the hostname up like {@link #lookupAndPublish}, but never throws: each lookup schedules the next, so one
	 * unexpected exception would otherwise end the watching for good, and silently, as the executor keeps it.
	 * @return when to look again
	 */
	private Duration lookupOrRetryLater(String reason) {
		try {
			return lookupAndPublish(reason, false);
		}
		catch (RuntimeException ex) {
			synchronized (this.lock) {
				this.status = this.status
					.failed("Cannot look up '" + this.settings.hostname() + "': " + ex.getClass().getSimpleName());
			}
			Duration retry = retryDelay();
			// The type and message only: the stack trace (at DEBUG) is for whoever chases the bug.
			logger.warn("Looking up '{}' failed unexpectedly ({}); keeping the last known addresses {}, trying "
					+ "again in {} ms", this.settings.hostname(), FailureDescriptions.rootCause(ex),
					this.book.addresses(), retry.toMillis());
			logger.debug("Unexpected failure looking up '{}'", this.settings.hostname(), ex);
			publishSoon("DNS lookup failed");
			return retry;
		}
	}

	/**
	 * Looks the hostname up and publishes the outcome.
	 * @return when to look again
	 */
	private Duration lookupAndPublish(String reason, boolean failWhenUnresolved) {
		DnsAnswer answer;
		try {
			answer = this.lookup.apply(this.settings.hostname());
		}
		catch (DnsLookupException ex) {
			boolean neverResolved;
			synchronized (this.lock) {
				this.status = this.status.failed(ex.getMessage());
				neverResolved = this.status.lastResolution() == null;
			}
			if (failWhenUnresolved) {
				throw ex;
			}
			logger.warn("{}; {}", ex.getMessage(), neverResolved ? "will keep trying"
					: "keeping the last known addresses " + this.book.addresses());
			this.publish.accept("DNS lookup failed");
			return retryDelay();
		}
		Set<Family> unanswered = answer.unanswered();
		boolean newlyUnanswered;
		synchronized (this.lock) {
			answer = answer.keepingUnansweredFamiliesOf(this.book.addresses());
			this.book.answered(answer.addresses());
			newlyUnanswered = !unanswered.isEmpty() && !unanswered.equals(this.status.unanswered());
			this.status = this.status.answered(answer.ttl(), this.clock.instant(), unanswered,
					unanswered.isEmpty() ? null : unansweredMessage(unanswered));
		}
		if (newlyUnanswered) {
			logger.warn("{}; addresses in use: {}", unansweredMessage(unanswered), answer.addresses());
		}
		this.publish.accept(reason);
		return this.settings.nextLookupAfter(answer.ttl());
	}

	private String unansweredMessage(Set<Family> unanswered) {
		String types = unanswered.stream().map(Family::recordType).sorted().collect(Collectors.joining(" and "));
		return "No answer to the " + types + " query for '" + this.settings.hostname() + "'; keeping the last known "
				+ types + " addresses";
	}

	private Duration retryDelay() {
		int failures = this.status.consecutiveFailures();
		Duration delay = FIRST_RETRY_DELAY.multipliedBy(1L << Math.min(failures - 1, 16));
		return (delay.compareTo(this.settings.refreshInterval()) < 0) ? delay : this.settings.refreshInterval();
	}

}
