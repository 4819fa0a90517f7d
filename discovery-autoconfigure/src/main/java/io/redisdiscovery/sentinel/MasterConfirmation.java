package io.redisdiscovery.sentinel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.topology.FailureDescriptions;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;

/**
 * Finds, among the masters the Sentinels name, the first that answers {@code ROLE} master: newest epoch first,
 * skipping the answers {@link MasterSelection} refuses and the master whose failover is in progress.
 */
final class MasterConfirmation {

	private final SentinelSettings settings;

	private final SentinelClient client;

	private final BooleanSupplier stopped;

	/**
	 * Creates a confirmation.
	 * @param settings the master's name
	 * @param client how to probe a node's role
	 * @param stopped whether to stop probing
	 */
	MasterConfirmation(SentinelSettings settings, SentinelClient client, BooleanSupplier stopped) {
		this.settings = settings;
		this.client = client;
		this.stopped = stopped;
	}

	/**
	 * The first answer whose master confirms its role.
	 * @param answers the Sentinels' answers, in configuration order
	 * @param known the master in use as the answers judge it, or {@code null}
	 * @param failingOver the master whose failover is in progress, or {@code null}
	 * @param problems where to add what could not be used, and why
	 * @return the answer, or {@code null} when no named master confirmed
	 */
	@Nullable SentinelAnswer firstConfirmed(List<SentinelAnswer> answers, @Nullable KnownMaster known,
			@Nullable RedisNode failingOver, List<String> problems) {
		Map<SentinelAnswer, String> refused = MasterSelection.refusals(known, answers);
		problems.addAll(refused.values());
		// Each candidate is probed once per discovery: a hung node would otherwise cost a timeout per Sentinel.
		Map<RedisNode, NodeRole> roles = new HashMap<>();
		for (SentinelAnswer answer : MasterSelection.newestFirst(answers)) {
			if (this.stopped.getAsBoolean()) {
				break;
			}
			RedisNode sentinel = answer.sentinel();
			RedisNode candidate = answer.master();
			if (candidate == null) {
				problems.add("Sentinel " + sentinel + " does not know master '" + this.settings.masterName() + "'");
				continue;
			}
			if (refused.containsKey(answer)) {
				// Not even probed: an old master answers ROLE master until Sentinel demotes it.
				continue;
			}
			if (candidate.equals(failingOver)) {
				// Probing the master being replaced could hang for a timeout while +switch-master waits behind it.
				problems.add("Sentinel " + sentinel + " still names " + candidate + ", whose failover is in progress");
				continue;
			}
			NodeRole role = roles.computeIfAbsent(candidate, (node) -> roleOf(node, problems));
			if (role == NodeRole.MASTER) {
				return answer;
			}
			if (role != NodeRole.UNKNOWN) {
				problems.add("Sentinel " + sentinel + " names " + candidate + ", whose role is " + role);
			}
		}
		return null;
	}

	/**
	 * The role a node reports.
	 * @param node the node
	 * @param problems where to add why it could not be asked
	 * @return its role, {@link NodeRole#UNKNOWN} when it could not be asked
	 */
	NodeRole roleOf(RedisNode node, List<String> problems) {
		try {
			return this.client.role(node);
		}
		catch (RuntimeException ex) {
			problems.add("master candidate " + node + " unreachable (" + FailureDescriptions.rootCause(ex) + ")");
			return NodeRole.UNKNOWN;
		}
	}

}
