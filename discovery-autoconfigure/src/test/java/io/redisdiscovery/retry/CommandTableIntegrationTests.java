package io.redisdiscovery.retry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checked-in command table says what the lab's {@code redis-server} says. To regenerate it:
 * {@code ./mvnw -B -ntp -pl discovery-autoconfigure test -Dtest=CommandTableIntegrationTests
 * -Dredis.discovery.commands.regenerate=true}.
 */
@ExtendWith(RedisLabExtension.class)
class CommandTableIntegrationTests {

	@Test
	void checkedInTableShouldMatchTheLabServer(RedisLab lab) throws IOException {
		RedisServer server = lab.startServer();
		if (Boolean.getBoolean("redis.discovery.commands.regenerate")) {
			CommandTableGenerator.write(server);
		}
		String checkedIn = Files.readString(CommandTableGenerator.SOURCE, StandardCharsets.UTF_8);
		// The header names the server's version: a patch release with the same facts is not a change.
		assertThat(facts(checkedIn)).as("%s is out of date; regenerate it as this test's Javadoc says",
				CommandTableGenerator.SOURCE)
			.isEqualTo(facts(CommandTableGenerator.generate(server)));
	}

	private static List<String> facts(String table) {
		return table.lines().filter((line) -> !line.startsWith("#")).toList();
	}

}
