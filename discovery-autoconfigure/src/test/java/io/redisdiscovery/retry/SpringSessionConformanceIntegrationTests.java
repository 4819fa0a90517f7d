package io.redisdiscovery.retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.redisdiscovery.lab.RedisLab;
import io.redisdiscovery.lab.RedisLabExtension;
import io.redisdiscovery.lab.RedisServer;
import io.redisdiscovery.test.DiscoveryContextRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The conformance suite for Spring Session: its two Redis repositories, wired as Spring Session's own configuration
 * wires them, once on Spring Boot's factory and once on the starter's, on the same lab server, must give the same
 * results. The indexed repository is the demanding one: it learns of deletions and expiries from Redis keyspace
 * notifications through a {@code RedisMessageListenerContainer}, and announces new sessions through Pub/Sub.
 */
@ExtendWith(RedisLabExtension.class)
class SpringSessionConformanceIntegrationTests {

	private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

	@Test
	void sessionRepositoriesShouldGiveSpringBootsResults(RedisLab lab) {
		RedisServer server = lab.startServer();
		Map<String, Object> boot = run(server, DiscoveryContextRunners.withSpringBoot(server.port()));
		server.command("FLUSHALL");
		Map<String, Object> starter = run(server, DiscoveryContextRunners.withStarter(server.port()));

		assertThat(boot).containsEntry("indexed: created event", true)
			.containsEntry("indexed: find by id", "ada@example.org")
			.containsEntry("indexed: find by principal", 1)
			.containsEntry("indexed: deleted event", true)
			.containsEntry("indexed: expired event", true)
			.containsEntry("simple: find by id", "ada@example.org")
			.containsEntry("simple: deleted", true);
		assertThat(starter).isEqualTo(boot);
	}

	private static Map<String, Object> run(RedisServer server, ApplicationContextRunner runner) {
		Map<String, Object> results = new LinkedHashMap<>();
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			RedisTemplate<String, Object> redis = sessionTemplate(context.getBean(RedisConnectionFactory.class));
			indexedRepository(server, redis, results);
			simpleRepository(redis, results);
		});
		return results;
	}

	private static void indexedRepository(RedisServer server, RedisTemplate<String, Object> redis,
			Map<String, Object> results) {
		Queue<AbstractSessionEvent> events = new ConcurrentLinkedQueue<>();
		RedisIndexedSessionRepository sessions = new RedisIndexedSessionRepository(redis);
		sessions.setApplicationEventPublisher((event) -> events.add((AbstractSessionEvent) event));
		sessions.afterPropertiesSet();
		// What Spring Session's ConfigureNotifyKeyspaceEventsAction does at startup.
		redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().setConfig("notify-keyspace-events", "Egx");
			return null;
		});
		RedisMessageListenerContainer container = listenerContainer(redis.getConnectionFactory(), sessions);
		try {
			awaitSubscribed(server, sessions.getSessionDeletedChannel());
			RedisIndexedSessionRepository.RedisSession session = sessions.createSession();
			session.setAttribute("user", "ada@example.org");
			session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "ada");
			sessions.save(session);
			String id = session.getId();
			results.put("indexed: created event", awaitEvent(events, SessionCreatedEvent.class, id));
			results.put("indexed: find by id", sessions.findById(id).getAttribute("user"));
			results.put("indexed: find by principal", sessions
				.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "ada")
				.size());
			sessions.deleteById(id);
			results.put("indexed: deleted event", awaitEvent(events, SessionDeletedEvent.class, id));
			results.put("indexed: deleted", sessions.findById(id) == null);

			RedisIndexedSessionRepository.RedisSession shortLived = sessions.createSession();
			shortLived.setMaxInactiveInterval(Duration.ofSeconds(1));
			sessions.save(shortLived);
			// Redis expires the session's "expires" key by itself and announces it; the event needs nothing else.
			results.put("indexed: expired event", awaitEvent(events, SessionExpiredEvent.class, shortLived.getId()));
		}
		finally {
			container.stop();
			sessions.destroy();
		}
	}

	private static void simpleRepository(RedisTemplate<String, Object> redis, Map<String, Object> results) {
		simpleRepository(new RedisSessionRepository(redis), results);
	}

	/** Typed by the interface: the repository's own session class is not public. */
	private static <S extends Session> void simpleRepository(SessionRepository<S> sessions,
			Map<String, Object> results) {
		S session = sessions.createSession();
		session.setAttribute("user", "ada@example.org");
		sessions.save(session);
		results.put("simple: find by id", sessions.findById(session.getId()).getAttribute("user"));
		sessions.deleteById(session.getId());
		results.put("simple: deleted", sessions.findById(session.getId()) == null);
	}

	/** The template Spring Session's configurations build: string keys, JDK-serialized values. */
	private static RedisTemplate<String, Object> sessionTemplate(RedisConnectionFactory factory) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(factory);
		template.setKeySerializer(new StringRedisSerializer());
		template.setHashKeySerializer(new StringRedisSerializer());
		template.afterPropertiesSet();
		return template;
	}

	/** The listener container as {@code RedisIndexedHttpSessionConfiguration} sets it up. */
	private static RedisMessageListenerContainer listenerContainer(RedisConnectionFactory factory,
			RedisIndexedSessionRepository sessions) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(factory);
		container.addMessageListener(sessions, List.of(new ChannelTopic(sessions.getSessionDeletedChannel()),
				new ChannelTopic(sessions.getSessionExpiredChannel())));
		container.addMessageListener(sessions, new PatternTopic(sessions.getSessionCreatedChannelPrefix() + "*"));
		container.afterPropertiesSet();
		container.start();
		return container;
	}

	private static void awaitSubscribed(RedisServer server, String channel) {
		await("the session listener container to subscribe").atMost(EVENT_TIMEOUT)
			.until(() -> server.command("PUBSUB", "NUMSUB", channel) instanceof List<?> reply
					&& reply.size() == 2 && Long.parseLong(String.valueOf(reply.get(1))) > 0);
	}

	private static boolean awaitEvent(Queue<AbstractSessionEvent> events, Class<? extends AbstractSessionEvent> type,
			String sessionId) {
		await("a " + type.getSimpleName() + " for " + sessionId).atMost(EVENT_TIMEOUT)
			.until(() -> events.stream()
				.anyMatch((event) -> type.isInstance(event) && sessionId.equals(event.getSessionId())));
		return true;
	}

}
