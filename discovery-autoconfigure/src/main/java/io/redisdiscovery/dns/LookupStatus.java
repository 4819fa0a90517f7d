package io.redisdiscovery.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.redisdiscovery.dns.DnsAnswer.Family;
import org.jspecify.annotations.Nullable;

/**
 * How the lookups of the hostname went: the latest answer's TTL and time, whether the addresses are stale, the
 * latest error and the record families that went unanswered.
 *
 * @param ttl the smallest record TTL of the latest answer, or {@code null} before the first
 * @param lastResolution when the hostname last resolved, or {@code null} before the first time
 * @param lastError what went wrong with the latest lookup, or {@code null}
 * @param stale whether the latest lookup failed, so that the addresses are only the last known ones
 * @param unanswered the record families the latest answer lacked
 * @param consecutiveFailures how many lookups failed in a row
 */
record LookupStatus(@Nullable Duration ttl, @Nullable Instant lastResolution, @Nullable String lastError,
		boolean stale, Set<Family> unanswered, int consecutiveFailures) {

	static final LookupStatus NONE = new LookupStatus(null, null, null, false, Set.of(), 0);

	LookupStatus failed(@Nullable String error) {
		return new LookupStatus(this.ttl, this.lastResolution, error, true, this.unanswered,
				this.consecutiveFailures + 1);
	}

	/**
	 * Not stale even with a family unanswered: the answering family is current, and a family some server never
	 * answers must not keep the topology stale for good. The error says which addresses are only the last known
	 * ones.
	 */
	LookupStatus answered(Duration ttl, Instant at, Set<Family> unanswered, @Nullable String error) {
		return new LookupStatus(ttl, at, error, false, unanswered, 0);
	}

}
