package io.redisdiscovery.sample;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fixed-window rate limiter: each client may call {@code limit} times per window, counted with INCR.
 */
@RestController
class RateLimiterController {

	private final StringRedisTemplate redis;

	private final int limit;

	private final Duration window;

	private final Clock clock = Clock.systemUTC();

	RateLimiterController(StringRedisTemplate redis, @Value("${sample.rate-limit.limit:5}") int limit,
			@Value("${sample.rate-limit.window:10s}") Duration window) {
		this.redis = redis;
		this.limit = limit;
		this.window = window;
	}

	@PostMapping("/api/rate-limit/{client}")
	ResponseEntity<Decision> acquire(@PathVariable String client) {
		long windowNumber = this.clock.millis() / this.window.toMillis();
		String key = "sample:rate:" + client + ":" + windowNumber;
		Long count = this.redis.opsForValue().increment(key);
		long used = (count != null) ? count : 0;
		if (used == 1) {
			this.redis.expire(key, this.window.multipliedBy(2));
		}
		boolean allowed = used <= this.limit;
		Decision decision = new Decision(client, allowed, Math.max(0, this.limit - used), this.limit,
				this.window.toSeconds());
		return ResponseEntity.status(allowed ? HttpStatus.OK : HttpStatus.TOO_MANY_REQUESTS).body(decision);
	}

	/**
	 * The rate limiter's answer.
	 *
	 * @param client who asked
	 * @param allowed whether the call may proceed
	 * @param remaining calls left in this window
	 * @param limit calls allowed per window
	 * @param windowSeconds the window length
	 */
	record Decision(String client, boolean allowed, long remaining, int limit, long windowSeconds) {

	}

}
