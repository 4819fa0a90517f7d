package io.redisdiscovery.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told to.
 */
final class MutableClock extends Clock {

	static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private Instant now = START;

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
