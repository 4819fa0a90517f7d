package io.redisdiscovery.retry;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.data.redis.connection.RedisSentinelCommands;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

class SpringDataCommandNamesTests {

	/**
	 * Commands newer than the lab's Redis 7.0 (hash field expiration; the Redis 8 commands Spring Data Redis 4.1 has
	 * methods for): unknown to the table, these count as writes that are not safe to repeat, which errs on the safe
	 * side.
	 */
	private static final Set<String> NEWER_THAN_LAB = Set.of("hexpire", "hexpireat", "hpexpire", "hpexpireat",
			"hpersist", "httl", "hpttl", "hgetdel", "hgetex", "hsetex", "delex", "digest", "xackdel", "xdelex");

	@Test
	void everyCommandMethodOfSpringDataShouldMapToACommandOfTheTable() throws Exception {
		List<Class<?>> interfaces = commandInterfaces();
		assertThat(interfaces).hasSizeGreaterThan(40);
		Set<String> unmapped = new TreeSet<>();
		for (Class<?> type : interfaces) {
			for (Method method : type.getDeclaredMethods()) {
				if (Modifier.isStatic(method.getModifiers()) || method.isSynthetic()) {
					continue;
				}
				String command = SpringDataCommandNames.commandName(method.getName());
				if (command != null && RedisCommandTable.find(command) == null && !NEWER_THAN_LAB.contains(command)) {
					unmapped.add(type.getSimpleName() + "." + method.getName() + " -> " + command);
				}
			}
		}
		assertThat(unmapped).isEmpty();
	}

	@Test
	void irregularNamesShouldMapToTheirCommand() {
		assertThat(SpringDataCommandNames.commandName("sAdd")).isEqualTo("sadd");
		assertThat(SpringDataCommandNames.commandName("getSet")).isEqualTo("getset");
		assertThat(SpringDataCommandNames.commandName("rPopLPush")).isEqualTo("rpoplpush");
		assertThat(SpringDataCommandNames.commandName("zRangeStoreByScore")).isEqualTo("zrangestore");
		assertThat(SpringDataCommandNames.commandName("mDel")).isEqualTo("del");
		assertThat(SpringDataCommandNames.commandName("getConfig")).isEqualTo("config|get");
		assertThat(SpringDataCommandNames.commandName("setGet")).isEqualTo("set");
		assertThat(SpringDataCommandNames.commandName("execute")).isNull();
	}

	/**
	 * Spring Data's command interfaces, imperative and reactive, but not the Sentinel ones: those go to Sentinels,
	 * whose commands the data node's table does not describe, and never through the retrying connection.
	 */
	private static List<Class<?>> commandInterfaces() throws IOException, ClassNotFoundException {
		List<Class<?>> interfaces = new ArrayList<>();
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		for (Resource resource : resolver
			.getResources("classpath*:org/springframework/data/redis/connection/*Commands.class")) {
			String simpleName = resource.getFilename().replace(".class", "");
			Class<?> type = ClassUtils.forName("org.springframework.data.redis.connection." + simpleName, null);
			if (type.isInterface() && type != RedisSentinelCommands.class
					&& (simpleName.startsWith("Redis") || simpleName.startsWith("Reactive"))) {
				interfaces.add(type);
			}
		}
		return interfaces;
	}

}
