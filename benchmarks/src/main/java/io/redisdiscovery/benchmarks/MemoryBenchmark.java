package io.redisdiscovery.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisServer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Measures the heap an application context of each variant retains after startup and after its first command,
 * and the heap each connection handle from {@code RedisConnectionFactory.getConnection()} retains.
 */
final class MemoryBenchmark {

	private static final int CONTEXTS = 5;

	private static final int HANDLES = 20_000;

	List<Result> run() {
		try (RedisLab lab = new RedisLab()) {
			RedisServer server = lab.startServer();
			Variant.Target target = Variant.Target.fixed("standalone", server.address());
			// Each variant is measured twice, in the order A B B A, and averaged, so neither gains from going second.
			Result boot1 = measure(Variant.BOOT_DEFAULT, target);
			Result starter1 = measure(Variant.STARTER, target);
			Result starter2 = measure(Variant.STARTER, target);
			Result boot2 = measure(Variant.BOOT_DEFAULT, target);
			return List.of(boot1.averageWith(boot2), starter1.averageWith(starter2));
		}
	}

	private static Result measure(Variant variant, Variant.Target target) {
		// Warm up class loading so that the measured contexts only add their instances.
		variant.start(target).close();
		long before = usedHeapAfterGc();
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		for (int i = 0; i < CONTEXTS; i++) {
			ConfigurableApplicationContext context = variant.start(target);
			Variant.template(context).opsForValue().set("memory", "value");
			contexts.add(context);
		}
		long perContext = (usedHeapAfterGc() - before) / CONTEXTS;
		RedisConnectionFactory factory = contexts.get(0).getBean(RedisConnectionFactory.class);
		long beforeHandles = usedHeapAfterGc();
		List<RedisConnection> handles = new ArrayList<>(HANDLES);
		for (int i = 0; i < HANDLES; i++) {
			handles.add(factory.getConnection());
		}
		long perHandle = (usedHeapAfterGc() - beforeHandles) / HANDLES;
		handles.forEach(RedisConnection::close);
		contexts.forEach(ConfigurableApplicationContext::close);
		return new Result(variant, perContext, perHandle);
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Retained heap of one variant.
	 *
	 * @param variant the variant
	 * @param bytesPerContext heap retained by one started context that has run a command
	 * @param bytesPerConnectionHandle heap retained by one connection handle
	 */
	record Result(Variant variant, long bytesPerContext, long bytesPerConnectionHandle) {

		Result averageWith(Result other) {
			return new Result(this.variant, (this.bytesPerContext + other.bytesPerContext) / 2,
					(this.bytesPerConnectionHandle + other.bytesPerConnectionHandle) / 2);
		}

	}

}
