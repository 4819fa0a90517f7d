package io.redisdiscovery.sentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.sentinel.SentinelStateHolder.Change;
import io.redisdiscovery.topology.NodeRole;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a {@code +switch-master}, or the {@code +promoted-slave} that comes before it: adopts the announced master
 * once it confirms its role, without waiting for a discovery in progress. That one may be stuck on the master that
 * hung, and what it finds afterwards is not adopted ({@link SentinelState#discovered}). A duplicate is dropped; a
 * switch away from a master other than the one in use (late, or after a switch that was missed) is left to a
 * discovery, whose epochs tell which.
 */
final class SwitchFollower {

	// The source's category: following a switch is part of its story.
	private static final Logger logger = LoggerFactory.getLogger(SentinelTopologySource.class);

	private final SentinelSettings settings;

	private final SentinelClient client;

	private final SentinelStateHolder state;

	private final MasterConfirmation confirmation;

	private final FailoverTracker failover;

	private final MasterAdoption adoption;

	private final RefreshGate gate;

	private final Consumer<String> refresh;

	/**
	 * Creates a follower.
	 * @param settings the master's name
	 * @param client how to ask a Sentinel for the replicas and the epoch
	 * @param state the state
	 * @param confirmation how to confirm the announced master's role
	 * @param failover the failover the switch ends
	 * @param adoption how to carry out an adoption
	 * @param gate where a followed switch counts as a completed discovery
	 * @param refresh how to run a discovery, for a reason, when the switch alone does not tell
	 */
	SwitchFollower(SentinelSettings settings, SentinelClient client, SentinelStateHolder state,
			MasterConfirmation confirmation, FailoverTracker failover, MasterAdoption adoption, RefreshGate gate,
			Consumer<String> refresh) {
		this.settings = settings;
		this.client = client;
		this.state = state;
		this.confirmation = confirmation;
		this.failover = failover;
		this.adoption = adoption;
		this.gate = gate;
		this.refresh = refresh;
	}

	/**
	 * Follows a switch.
	 * @param sentinel the Sentinel that announced it
	 * @param channel the event's channel, {@code +switch-master} or {@code +promoted-slave}
	 * @param from the master it replaces, when the event names one
	 * @param announced the master it announces
	 */
	void follow(RedisNode sentinel, String channel, @Nullable RedisNode from, RedisNode announced) {
		KnownMaster before = this.state.get().known();
		switch (MasterSelection.onSwitch(before, from, announced)) {
			case ALREADY_THERE -> {
				logger.debug("Sentinel {} announced {} for '{}', already in use", sentinel, announced,
						this.settings.masterName());
				if (announced.equals(this.state.get().master())
						&& !announced.equals(this.failover.masterAtStart())) {
					this.failover.end(channel + " to " + announced + ", already in use");
				}
				return;
			}
			case ASK_ALL -> {
				logger.info("Sentinel {} announced a switch of '{}' from {} to {}, but {} is in use; asking every "
						+ "Sentinel", sentinel, this.settings.masterName(), from, announced, before);
				this.refresh.accept(channel + " from a master not in use");
				return;
			}
			case FOLLOW -> {
				// Below.
			}
		}
		List<String> problems = new ArrayList<>();
		if (this.confirmation.roleOf(announced, problems) != NodeRole.MASTER) {
			logger.info("Sentinel {} announced master {} for '{}', not confirmed yet: {}", sentinel, announced,
					this.settings.masterName(), problems);
			this.refresh.accept(channel + ", announced master unconfirmed");
			return;
		}
		SentinelAnswer answer = askAbout(sentinel, announced);
		Long configEpoch = answer.configEpoch();
		Change change = this.state.update((state) -> state.switchFollowed(announced, configEpoch));
		if (change.after() == change.before()) {
			logger.info("Ignoring {} of '{}' to {} from Sentinel {}: named {}", channel, this.settings.masterName(),
					announced, sentinel, MasterSelection.refusal(change.before().known(), announced, configEpoch, null));
			return;
		}
		this.adoption.adopted(change, answer, List.of(sentinel), channel);
		this.failover.end(channel + " to " + announced);
		this.gate.countCompleted();
	}

	/**
	 * The announcing Sentinel's answer for the announced master, with its replicas and epoch when it names the
	 * same one.
	 */
	private SentinelAnswer askAbout(RedisNode sentinel, RedisNode announced) {
		try {
			SentinelAnswer asked = this.client.ask(sentinel, this.settings.masterName());
			if (announced.equals(asked.master())) {
				return new SentinelAnswer(sentinel, announced, asked.replicas(), asked.configEpoch());
			}
		}
		catch (RuntimeException ex) {
			// The master is confirmed; replicas and the epoch come with the next check.
		}
		return new SentinelAnswer(sentinel, announced, List.of(), null);
	}

}
