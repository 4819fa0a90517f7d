package io.redisdiscovery.dns;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DnsSettingsTests {

	private final DnsSettings settings = new DnsSettings("db.example", 12000, List.of(), Duration.ofSeconds(10),
			Duration.ofSeconds(1), Duration.ofSeconds(60), AddressSelection.ROUND_ROBIN, Duration.ofSeconds(5),
			Duration.ofSeconds(1), true);

	@Test
	void nextLookupShouldFollowATtlShorterThanTheRefreshInterval() {
		assertThat(this.settings.nextLookupAfter(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void nextLookupShouldNotWaitLongerThanTheRefreshInterval() {
		assertThat(this.settings.nextLookupAfter(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void nextLookupShouldRaiseAZeroTtlToMinTtl() {
		assertThat(this.settings.nextLookupAfter(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
	}

}
