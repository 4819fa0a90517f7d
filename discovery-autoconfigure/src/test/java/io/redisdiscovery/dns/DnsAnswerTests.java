package io.redisdiscovery.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.redisdiscovery.dns.DnsAnswer.Family;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DnsAnswerTests {

	private static final Duration TTL = Duration.ofSeconds(5);

	@Test
	void unansweredFamilyShouldKeepItsPreviousAddressesAndTheOtherFamilyShouldFollowTheAnswer() throws Exception {
		List<InetAddress> previous = addresses("127.0.0.11", "127.0.0.12", "::1");
		DnsAnswer onlyIpv6 = new DnsAnswer(addresses("::2"), TTL, Set.of(Family.IPV4));

		assertThat(onlyIpv6.keepingUnansweredFamiliesOf(previous).addresses())
			.containsExactlyElementsOf(addresses("127.0.0.11", "127.0.0.12", "::2"));
	}

	@Test
	void completeAnswerShouldReplaceThePreviousAddresses() throws Exception {
		DnsAnswer complete = new DnsAnswer(addresses("::2"), TTL);

		assertThat(complete.keepingUnansweredFamiliesOf(addresses("127.0.0.11")).addresses())
			.containsExactlyElementsOf(addresses("::2"));
	}

	private static List<InetAddress> addresses(String... literals) throws UnknownHostException {
		InetAddress[] addresses = new InetAddress[literals.length];
		for (int i = 0; i < literals.length; i++) {
			addresses[i] = InetAddress.getByName(literals[i]);
		}
		return List.of(addresses);
	}

}
