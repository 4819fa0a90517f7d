package io.redisdiscovery.sentinel;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.redisdiscovery.sentinel.SentinelState.Failover;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelStateTests {

	private static final String MASTER = "mymaster";

	private static final RedisNode S1 = new RedisNode("127.0.0.1", 26001);

	private static final RedisNode S2 = new RedisNode("127.0.0.1", 26002);

	private static final RedisNode A = new RedisNode("127.0.0.1", 7001);

	private static final RedisNode B = new RedisNode("127.0.0.1", 7002);

	private static final RedisNode C = new RedisNode("127.0.0.1", 7003);

	@Test
	void firstDiscoveryShouldAdoptTheMasterWithNothingToMove() {
		SentinelState state = SentinelState.INITIAL.discovered(A, 1L, 0);
		assertThat(state.known()).isEqualTo(new KnownMaster(A, 1L));
		assertThat(state.masterInUse()).isNull();
		assertThat(state.switchesFollowed()).isZero();
	}

	@Test
	void switchFollowedShouldAdoptTheNewMasterMoveTheConnectionsAndCountTheSwitch() {
		SentinelState connected = SentinelState.INITIAL.discovered(A, 1L, 0).connectedTo(A);
		SentinelState switched = connected.switchFollowed(B, 2L);
		assertThat(switched.known()).isEqualTo(new KnownMaster(B, 2L));
		assertThat(switched.masterInUse()).isEqualTo(B);
		assertThat(switched.switchesFollowed()).isEqualTo(1);
	}

	@Test
	void discoveryThatBeganBeforeAFollowedSwitchShouldNotUndoIt() {
		SentinelState connected = SentinelState.INITIAL.discovered(A, 1L, 0).connectedTo(A);
		long switchesAtStart = connected.switchesFollowed();
		// The discovery hangs on A while +switch-master to B is followed, then A still answers ROLE master.
		SentinelState switched = connected.switchFollowed(B, 2L);
		assertThat(switched.discovered(A, 1L, switchesAtStart)).isSameAs(switched);
		// A discovery that began after the switch is adopted.
		assertThat(switched.discovered(B, 2L, switched.switchesFollowed()).known()).isEqualTo(new KnownMaster(B, 2L));
	}

	@Test
	void switchUnderAnEpochNotNewerThanTheMasterInUseShouldBeIgnored() {
		SentinelState current = SentinelState.INITIAL.discovered(B, 2L, 0).connectedTo(B);
		assertThat(current.switchFollowed(A, 1L)).isSameAs(current);
		assertThat(current.switchFollowed(A, 2L)).isSameAs(current);
		// Without an epoch there is nothing to compare: the Sentinel's word.
		assertThat(current.switchFollowed(A, null).known()).isEqualTo(new KnownMaster(A, null));
	}

	@Test
	void sameMasterShouldKeepTheHighestEpochAndStayInUse() {
		SentinelState current = SentinelState.INITIAL.discovered(A, 3L, 0).connectedTo(A);
		SentinelState rediscovered = current.discovered(A, 2L, 0);
		assertThat(rediscovered.known()).isEqualTo(new KnownMaster(A, 3L));
		assertThat(rediscovered.masterInUse()).isEqualTo(A);
	}

	@Test
	void judgedShouldDropTheEpochOnlyWhileTheMasterItJudgedIsStillInUse() {
		SentinelState current = SentinelState.INITIAL.discovered(A, 5L, 0);
		KnownMaster judgedFrom = current.known();
		KnownMaster withoutEpoch = new KnownMaster(A, null);
		assertThat(current.judged(judgedFrom, withoutEpoch).known()).isEqualTo(withoutEpoch);
		SentinelState switchedMeanwhile = current.switchFollowed(B, 6L);
		assertThat(switchedMeanwhile.judged(judgedFrom, withoutEpoch)).isSameAs(switchedMeanwhile);
	}

	@Test
	void failoverShouldStartOnTheMasterInUseAndCollectTheSentinelsThatReportIt() {
		SentinelState state = SentinelState.INITIAL.discovered(A, 1L, 0)
			.failoverStarted(S1, false)
			.failoverStarted(S2, false);
		assertThat(state.failover()).isEqualTo(new Failover(A, Set.of(S1, S2)));
		SentinelState givenUpByOne = state.failoverGivenUp(S1, false);
		assertThat(givenUpByOne.failover()).isEqualTo(new Failover(A, Set.of(S2)));
		SentinelState givenUpByAll = givenUpByOne.failoverGivenUp(S2, false);
		assertThat(givenUpByAll.failover()).isEqualTo(new Failover(A, Set.of()));
		assertThat(givenUpByAll.failoverEnded().failover()).isNull();
	}

	@Test
	void failoverWhoseHoldExpiredShouldBeForgotten() {
		SentinelState earlier = SentinelState.INITIAL.discovered(A, 1L, 0).failoverStarted(S1, false);
		assertThat(earlier.failoverInProgress(true)).isNull();
		assertThat(earlier.failoverInProgress(false)).isEqualTo(new Failover(A, Set.of(S1)));
		// Meanwhile B became the master; the next failover begins on B, reported by S2 alone.
		SentinelState next = earlier.discovered(B, 2L, 0).failoverStarted(S2, true);
		assertThat(next.failover()).isEqualTo(new Failover(B, Set.of(S2)));
		assertThat(earlier.failoverGivenUp(S1, true).failover()).isNull();
	}

	@Test
	void eventStreamOfTwoFailoversShouldEndOnTheLastMasterAnnounced() {
		List<String[]> messages = List.of(
				message("+try-failover", "master " + MASTER + " 127.0.0.1 7001"),
				message("+elected-leader", "master " + MASTER + " 127.0.0.1 7001"),
				// Followed at once: the switch that ends this failover finds the promoted replica in use.
				message("+promoted-slave", "slave 127.0.0.1:7002 127.0.0.1 7002 @ " + MASTER + " 127.0.0.1 7001"),
				message("+failover-state-reconf-slaves", "master " + MASTER + " 127.0.0.1 7001"),
				message("+failover-end", "master " + MASTER + " 127.0.0.1 7001"),
				message("+switch-master", MASTER + " 127.0.0.1 7001 127.0.0.1 7002"),
				// Another Sentinel's copy of the same switch, then a late one about the master already left.
				message("+switch-master", MASTER + " 127.0.0.1 7001 127.0.0.1 7002"),
				message("+try-failover", "master " + MASTER + " 127.0.0.1 7001"),
				message("+try-failover", "master " + MASTER + " 127.0.0.1 7002"),
				message("+switch-master", MASTER + " 127.0.0.1 7002 127.0.0.1 7003"));
		SentinelState state = SentinelState.INITIAL.discovered(A, 0L, 0).connectedTo(A);
		long epoch = 0;
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		for (String[] message : messages) {
			SentinelEvent event = SentinelEvent.parse(message[0], message[1]);
			assertThat(event).isNotNull();
			state = apply(state, event, ++epoch, now);
		}
		assertThat(state.known()).isEqualTo(new KnownMaster(C, 10L));
		assertThat(state.masterInUse()).isEqualTo(C);
		assertThat(state.switchesFollowed()).isEqualTo(2);
		assertThat(state.failover()).isNull();
		assertThat(state.lastSwitchMaster()).isEqualTo(now);
	}

	/**
	 * What the source does with an event, without the network: every announced master confirms its role, under
	 * the event's position in the stream as its epoch.
	 */
	private static SentinelState apply(SentinelState state, SentinelEvent event, long epoch, Instant now) {
		return switch (event.kind()) {
			case FAILOVER_STARTED -> isLate(state, event.master()) ? state : state.failoverStarted(S1, false);
			case SWITCH_MASTER, REPLICA_PROMOTED -> {
				RedisNode announced = event.newMaster();
				assertThat(announced).isNotNull();
				SentinelState announcedAt = (event.kind() == SentinelEvent.Kind.SWITCH_MASTER)
						? state.switchAnnounced(now) : state;
				yield (announced.equals(announcedAt.master())) ? announcedAt.failoverEnded()
						: announcedAt.switchFollowed(announced, epoch).failoverEnded();
			}
			case FAILOVER_ABORTED -> state.failoverGivenUp(S1, false);
			case FAILOVER_ENDED -> state;
		};
	}

	private static boolean isLate(SentinelState state, @Nullable RedisNode master) {
		return state.master() != null && master != null && !master.equals(state.master());
	}

	private static String[] message(String channel, String message) {
		return new String[] { channel, message };
	}

}
