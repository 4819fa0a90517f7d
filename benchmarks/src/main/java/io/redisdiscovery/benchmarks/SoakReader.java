package io.redisdiscovery.benchmarks;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads back keys a workload wrote earlier, at a fixed rate, cycling through them: the read-mostly part of the soak's
 * mixed workload.
 */
final class SoakReader {

	private static final long PERIOD_NANOS = Duration.ofMillis(40).toNanos();

	private final StringRedisTemplate redis;

	private final Map<String, String> written;

	private final BiConsumer<String, RuntimeException> errorListener;

	private final AtomicBoolean running = new AtomicBoolean();

	private final Thread thread;

	final AtomicLong reads = new AtomicLong();

	final AtomicLong errors = new AtomicLong();

	/** Reads that returned something other than the acknowledged value. */
	final AtomicLong mismatches = new AtomicLong();

	SoakReader(StringRedisTemplate redis, Map<String, String> written, String name,
			BiConsumer<String, RuntimeException> errorListener) {
		this.redis = redis;
		this.written = written;
		this.errorListener = errorListener;
		this.thread = new Thread(this::run, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.running.set(true);
		this.thread.start();
	}

	private void run() {
		Iterator<Map.Entry<String, String>> keys = this.written.entrySet().iterator();
		long next = System.nanoTime();
		while (this.running.get()) {
			if (!keys.hasNext()) {
				keys = this.written.entrySet().iterator();
			}
			if (keys.hasNext()) {
				Map.Entry<String, String> write = keys.next();
				this.reads.incrementAndGet();
				try {
					if (!write.getValue().equals(this.redis.opsForValue().get(write.getKey()))) {
						this.mismatches.incrementAndGet();
					}
				}
				catch (RuntimeException ex) {
					this.errors.incrementAndGet();
					this.errorListener.accept("GET (existing key)", ex);
				}
			}
			next = Math.max(next + PERIOD_NANOS, System.nanoTime() - PERIOD_NANOS);
			Thread.interrupted();
			LockSupport.parkNanos(next - System.nanoTime());
		}
	}

	void stop() throws InterruptedException {
		this.running.set(false);
		this.thread.join(Duration.ofSeconds(30).toMillis());
	}

}
