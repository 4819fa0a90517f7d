package io.redisdiscovery.sentinel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Which master a Sentinel answer or a {@code +switch-master} event may lead to, judged by Sentinel's configuration
 * epoch: a failover always raises it, so a Sentinel that missed a failover (partitioned, paused, restarted from an
 * old configuration) or a late event names a master under an older epoch, and that master may still answer
 * {@code ROLE} master for seconds until Sentinel demotes it. Without epochs (an endpoint that gives none) the
 * answers are taken in configuration order, as before epochs were used.
 */
final class MasterSelection {

	private static final Comparator<SentinelAnswer> NEWEST_FIRST = Comparator
		.comparing(SentinelAnswer::configEpoch, Comparator.nullsLast(Comparator.reverseOrder()));

	private MasterSelection() {
	}

	/**
	 * The answers to try, highest epoch first; answers without an epoch come last, and equal epochs keep
	 * configuration order.
	 * @param answers the answers, in configuration order
	 * @return the answers to try, in order
	 */
	static List<SentinelAnswer> newestFirst(List<SentinelAnswer> answers) {
		List<SentinelAnswer> sorted = new ArrayList<>(answers);
		sorted.sort(NEWEST_FIRST); // stable
		return sorted;
	}

	/**
	 * The highest epoch among the answers that name a master.
	 * @param answers the answers
	 * @return the highest epoch, or {@code null} when none carries one
	 */
	static @Nullable Long highestEpoch(List<SentinelAnswer> answers) {
		return answers.stream()
			.filter((answer) -> answer.master() != null)
			.map(SentinelAnswer::configEpoch)
			.filter(Objects::nonNull)
			.max(Comparator.naturalOrder())
			.orElse(null);
	}

	/**
	 * The master in use as the answers of one round should judge it: without its epoch when a majority of the
	 * configured Sentinels answer with epochs all lower than it. Epochs only grow, so that means the group was
	 * monitored afresh (Sentinels replaced, {@code SENTINEL REMOVE} and {@code MONITOR}) and counts from 0 again;
	 * holding on to the old epoch would refuse every master from then on. A minority that is behind (the others
	 * unreachable) does not count.
	 * @param known the master in use, or {@code null} before the first one
	 * @param answers the answers of the round
	 * @param configuredSentinels how many Sentinels are configured
	 * @return {@code known}, or {@code known} without its epoch
	 */
	static @Nullable KnownMaster judgedAgainst(@Nullable KnownMaster known, List<SentinelAnswer> answers,
			int configuredSentinels) {
		Long inUse = (known != null) ? known.configEpoch() : null;
		if (inUse == null) {
			return known;
		}
		List<Long> epochs = answers.stream()
			.filter((answer) -> answer.master() != null)
			.map(SentinelAnswer::configEpoch)
			.filter(Objects::nonNull)
			.toList();
		boolean restarted = epochs.size() > configuredSentinels / 2
				&& epochs.stream().allMatch((epoch) -> epoch < inUse);
		return restarted ? new KnownMaster(known.node(), null) : known;
	}

	/**
	 * The answers of one round that must not be adopted, with why.
	 * @param known the master in use, or {@code null} before the first one
	 * @param answers the answers of the round, in configuration order
	 * @return each refused answer with a description of the refusal, in configuration order
	 */
	static Map<SentinelAnswer, String> refusals(@Nullable KnownMaster known, List<SentinelAnswer> answers) {
		Long highest = highestEpoch(answers);
		Map<SentinelAnswer, String> refused = new LinkedHashMap<>();
		for (SentinelAnswer answer : answers) {
			RedisNode candidate = answer.master();
			String refusal = (candidate != null) ? refusal(known, candidate, answer.configEpoch(), highest) : null;
			if (refusal != null) {
				refused.put(answer, "Sentinel " + answer.sentinel() + " names " + candidate + " " + refusal);
			}
		}
		return refused;
	}

	/**
	 * Why a candidate named under an epoch must not be adopted, or {@code null} when it may be (once it confirms it
	 * is a master).
	 * @param known the master in use, or {@code null} before the first one
	 * @param candidate the node a Sentinel names
	 * @param configEpoch the epoch it was named under, or {@code null} when the Sentinel gave none
	 * @param highestEpoch the highest epoch any Sentinel gave in the same round, or {@code null}
	 * @return the reason to refuse, or {@code null}
	 */
	static @Nullable String refusal(@Nullable KnownMaster known, RedisNode candidate, @Nullable Long configEpoch,
			@Nullable Long highestEpoch) {
		if (configEpoch == null) {
			// No epoch to compare: the endpoint's word, as before epochs were used.
			return null;
		}
		if (highestEpoch != null && configEpoch < highestEpoch) {
			return "under config-epoch " + configEpoch + ", older than " + highestEpoch + " from another Sentinel";
		}
		if (known == null || known.node().equals(candidate)) {
			return null;
		}
		Long inUse = known.configEpoch();
		if (inUse != null && configEpoch <= inUse) {
			return "under config-epoch " + configEpoch + ", not newer than the master in use, " + known;
		}
		return null;
	}

	/**
	 * What to do with a {@code +switch-master} event.
	 * @param known the master in use, or {@code null} before the first one
	 * @param from the master the event says was replaced, when it names one
	 * @param to the master the event announces
	 * @return the decision
	 */
	static SwitchDecision onSwitch(@Nullable KnownMaster known, @Nullable RedisNode from, RedisNode to) {
		if (known == null) {
			return SwitchDecision.FOLLOW;
		}
		if (known.node().equals(to)) {
			return SwitchDecision.ALREADY_THERE;
		}
		if (from != null && !from.equals(known.node())) {
			return SwitchDecision.ASK_ALL;
		}
		return SwitchDecision.FOLLOW;
	}

	/**
	 * What a {@code +switch-master} event leads to.
	 */
	enum SwitchDecision {

		/** It replaces the master in use: confirm the announced one and move to it if its epoch is newer. */
		FOLLOW,

		/** A duplicate (another Sentinel's copy, or a switch already followed): nothing to move. */
		ALREADY_THERE,

		/**
		 * It replaces a master other than the one in use: late (a switch the client already went past) or one after
		 * a switch the client missed. Only the Sentinels' epochs tell which, so a discovery decides.
		 */
		ASK_ALL

	}

}
