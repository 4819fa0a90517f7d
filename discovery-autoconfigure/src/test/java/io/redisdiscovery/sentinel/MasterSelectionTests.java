package io.redisdiscovery.sentinel;

import java.util.List;

import io.redisdiscovery.sentinel.MasterSelection.SwitchDecision;
import io.redisdiscovery.sentinel.SentinelClient.SentinelAnswer;
import io.redisdiscovery.topology.RedisNode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MasterSelectionTests {

	private static final RedisNode S1 = new RedisNode("127.0.0.1", 26001);

	private static final RedisNode S2 = new RedisNode("127.0.0.1", 26002);

	private static final RedisNode S3 = new RedisNode("127.0.0.1", 26003);

	private static final RedisNode A = new RedisNode("127.0.0.1", 7001);

	private static final RedisNode B = new RedisNode("127.0.0.1", 7002);

	private static final RedisNode C = new RedisNode("127.0.0.1", 7003);

	@Test
	void newestFirstShouldPutTheHighestEpochFirstAndKeepConfigurationOrderOtherwise() {
		SentinelAnswer staleFirst = answer(S1, A, 0L);
		SentinelAnswer withoutEpoch = answer(S2, A, null);
		SentinelAnswer newer = answer(S3, B, 1L);
		SentinelAnswer alsoNewer = answer(S1, B, 1L);
		assertThat(MasterSelection.newestFirst(List.of(staleFirst, withoutEpoch, newer, alsoNewer)))
			.containsExactly(newer, alsoNewer, staleFirst, withoutEpoch);
		assertThat(MasterSelection.newestFirst(List.of(answer(S1, A, null), answer(S2, B, null))))
			.extracting(SentinelAnswer::sentinel)
			.containsExactly(S1, S2);
	}

	@Test
	void highestEpochShouldIgnoreAnswersWithoutAMaster() {
		assertThat(MasterSelection.highestEpoch(List.of(answer(S1, A, 3L), answer(S2, null, 9L)))).isEqualTo(3L);
		assertThat(MasterSelection.highestEpoch(List.of(answer(S1, A, null)))).isNull();
	}

	@Test
	void refusalShouldRefuseAMasterNamedUnderAnOlderEpochThanAnotherSentinelGave() {
		assertThat(MasterSelection.refusal(null, A, 0L, 1L)).contains("config-epoch 0").contains("older than 1");
		assertThat(MasterSelection.refusal(null, B, 1L, 1L)).isNull();
	}

	@Test
	void refusalsShouldNameEveryAnswerThatIsBehindInConfigurationOrder() {
		SentinelAnswer behind = answer(S1, A, 0L);
		SentinelAnswer unknownGroup = answer(S2, null, null);
		SentinelAnswer current = answer(S3, B, 1L);
		assertThat(MasterSelection.refusals(new KnownMaster(B, 1L), List.of(behind, unknownGroup, current)))
			.containsOnlyKeys(behind)
			.containsValue("Sentinel " + S1 + " names " + A + " under config-epoch 0, older than 1 from another Sentinel");
	}

	@Test
	void refusalShouldMoveAwayFromTheMasterInUseOnlyForANewerEpoch() {
		KnownMaster inUse = new KnownMaster(B, 1L);
		assertThat(MasterSelection.refusal(inUse, A, 0L, 0L)).contains("not newer than the master in use");
		assertThat(MasterSelection.refusal(inUse, A, 1L, 1L)).contains("not newer than the master in use");
		assertThat(MasterSelection.refusal(inUse, C, 2L, 2L)).isNull();
		assertThat(MasterSelection.refusal(inUse, B, 1L, 1L)).as("the master in use itself").isNull();
	}

	@Test
	void refusalShouldFallBackToTheSentinelsWordWithoutEpochs() {
		assertThat(MasterSelection.refusal(new KnownMaster(B, null), A, null, null)).isNull();
		assertThat(MasterSelection.refusal(new KnownMaster(B, 1L), A, null, null)).isNull();
		assertThat(MasterSelection.refusal(new KnownMaster(B, null), A, 0L, 0L)).isNull();
	}

	@Test
	void judgedAgainstShouldForgetTheEpochInUseWhenAMajorityCountsFromZeroAgain() {
		KnownMaster inUse = new KnownMaster(B, 5L);
		List<SentinelAnswer> afresh = List.of(answer(S1, C, 0L), answer(S2, C, 0L), answer(S3, C, 0L));
		assertThat(MasterSelection.judgedAgainst(inUse, afresh, 3)).isEqualTo(new KnownMaster(B, null));
		assertThat(MasterSelection.refusals(MasterSelection.judgedAgainst(inUse, afresh, 3), afresh)).isEmpty();
	}

	@Test
	void judgedAgainstShouldKeepTheEpochInUseAgainstAMinorityThatIsBehind() {
		KnownMaster inUse = new KnownMaster(B, 5L);
		assertThat(MasterSelection.judgedAgainst(inUse, List.of(answer(S1, A, 0L)), 3)).isSameAs(inUse);
		assertThat(MasterSelection.judgedAgainst(inUse, List.of(answer(S1, A, 0L), answer(S2, B, 5L)), 3))
			.isSameAs(inUse);
		assertThat(MasterSelection.judgedAgainst(null, List.of(answer(S1, A, 0L)), 1)).isNull();
	}

	@Test
	void onSwitchShouldFollowASwitchAwayFromTheMasterInUse() {
		assertThat(MasterSelection.onSwitch(new KnownMaster(A, 0L), A, B)).isEqualTo(SwitchDecision.FOLLOW);
		assertThat(MasterSelection.onSwitch(null, A, B)).isEqualTo(SwitchDecision.FOLLOW);
		assertThat(MasterSelection.onSwitch(new KnownMaster(A, 0L), null, B)).isEqualTo(SwitchDecision.FOLLOW);
	}

	@Test
	void onSwitchShouldDropADuplicate() {
		assertThat(MasterSelection.onSwitch(new KnownMaster(B, 1L), A, B)).isEqualTo(SwitchDecision.ALREADY_THERE);
	}

	@Test
	void onSwitchShouldNotFollowALateSwitchAwayFromAMasterNoLongerInUse() {
		// A -> B arrives after B -> C was followed: following it would move back to B.
		assertThat(MasterSelection.onSwitch(new KnownMaster(C, 2L), A, B)).isEqualTo(SwitchDecision.ASK_ALL);
	}

	@Test
	void knownMasterShouldKeepTheHighestEpochOfTheSameNodeAndTakeANewNodesOwn() {
		KnownMaster known = new KnownMaster(B, 2L);
		assertThat(KnownMaster.after(known, B, 1L)).isEqualTo(known);
		assertThat(KnownMaster.after(known, B, null)).isEqualTo(known);
		assertThat(KnownMaster.after(known, B, 3L)).isEqualTo(new KnownMaster(B, 3L));
		assertThat(KnownMaster.after(known, C, 3L)).isEqualTo(new KnownMaster(C, 3L));
		assertThat(KnownMaster.after(new KnownMaster(B, null), B, 1L)).isEqualTo(new KnownMaster(B, 1L));
		assertThat(KnownMaster.after(null, A, null)).isEqualTo(new KnownMaster(A, null));
	}

	private static SentinelAnswer answer(RedisNode sentinel, @Nullable RedisNode master, @Nullable Long epoch) {
		return new SentinelAnswer(sentinel, master, List.of(), epoch);
	}

}
