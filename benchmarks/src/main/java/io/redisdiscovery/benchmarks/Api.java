package io.redisdiscovery.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The Spring Data Redis API a scorecard workload writes through: the same writes, the same fault, so a guarantee
 * that holds on one API only shows as a row.
 */
enum Api {

	/** {@code StringRedisTemplate} commands on the shared connection. */
	TEMPLATE("template"),

	/** Each write and each {@code INCR} in its own {@code MULTI}/{@code EXEC} (a {@code SessionCallback}). */
	TRANSACTION("transaction"),

	/** Each write and each {@code INCR} through {@code executePipelined}. */
	PIPELINE("pipeline"),

	/** {@code ReactiveStringRedisTemplate}, each command awaited. */
	REACTIVE("reactive"),

	/**
	 * {@code PUBLISH} through the template to a {@code RedisMessageListenerContainer} of the same application: a write
	 * counts as acknowledged when the server reports a receiver, and as lost when the listener never gets it; "first
	 * write after event" is the first delivery of a message published after the event. No {@code INCR}.
	 */
	PUBSUB("pub/sub");

	private final String label;

	Api(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	/**
	 * Whether the API can be measured against a cluster: Spring Data Redis has no transactions there, and a
	 * {@code PUBLISH} counts only the receivers on the node it reached, so no Pub/Sub write would be acknowledged.
	 * @param cluster whether the target is a cluster
	 * @return whether this API can be measured
	 */
	boolean supports(boolean cluster) {
		return !(cluster && (this == TRANSACTION || this == PUBSUB));
	}

	/**
	 * Whether a write succeeds when the application's listener receives it (Pub/Sub) rather than when the call
	 * returns; its loss is then checked against the deliveries, not the database.
	 * @return {@code true} for {@link #PUBSUB}
	 */
	boolean succeedsOnDelivery() {
		return this == PUBSUB;
	}

	/**
	 * Connects this API to an application.
	 * @param context the application
	 * @param channel the Pub/Sub channel, for {@link #PUBSUB}
	 * @param delivered told about every message the application's listener receives, as key and value
	 * @return the writes
	 */
	Writes writes(ConfigurableApplicationContext context, String channel, BiConsumer<String, String> delivered) {
		StringRedisTemplate redis = Variant.template(context);
		return switch (this) {
			case TEMPLATE -> new Writes(this) {

				@Override
				boolean write(String key, String value) {
					redis.opsForValue().set(key, value);
					redis.opsForValue().get(key);
					return true;
				}

				@Override
				boolean increment(String key) {
					redis.opsForValue().increment(key);
					return true;
				}

			};
			case TRANSACTION -> new Writes(this) {

				@Override
				boolean write(String key, String value) {
					return committed(redis.execute(transaction((operations) -> operations.opsForValue().set(key, value))));
				}

				@Override
				boolean increment(String key) {
					if (!committed(redis.execute(transaction((operations) -> operations.opsForValue().increment(key))))) {
						throw new IllegalStateException("EXEC of INCR " + key + " was aborted");
					}
					return true;
				}

			};
			case PIPELINE -> new Writes(this) {

				@Override
				boolean write(String key, String value) {
					redis.executePipelined(pipelined((operations) -> operations.opsForValue().set(key, value)));
					return true;
				}

				@Override
				boolean increment(String key) {
					redis.executePipelined(pipelined((operations) -> operations.opsForValue().increment(key)));
					return true;
				}

			};
			case REACTIVE -> {
				ReactiveStringRedisTemplate reactive = new ReactiveStringRedisTemplate(
						context.getBean(ReactiveRedisConnectionFactory.class));
				yield new Writes(this) {

					@Override
					boolean write(String key, String value) {
						return Boolean.TRUE.equals(reactive.opsForValue().set(key, value).block());
					}

					@Override
					boolean increment(String key) {
						reactive.opsForValue().increment(key).block();
						return true;
					}

				};
			}
			case PUBSUB -> {
				RedisMessageListenerContainer container = new RedisMessageListenerContainer();
				container.setConnectionFactory(context.getBean(RedisConnectionFactory.class));
				container.addMessageListener((message, pattern) -> {
					String[] keyAndValue = new String(message.getBody(), StandardCharsets.UTF_8).split(" ", 2);
					delivered.accept(keyAndValue[0], keyAndValue[1]);
				}, new ChannelTopic(channel));
				container.afterPropertiesSet();
				container.start();
				yield new Writes(this) {

					@Override
					boolean write(String key, String value) {
						Long receivers = redis.convertAndSend(channel, key + " " + value);
						return receivers != null && receivers > 0;
					}

					@Override
					boolean increment(String key) {
						return false;
					}

					@Override
					public void close() {
						container.stop();
					}

				};
			}
		};
	}

	private static boolean committed(List<Object> results) {
		return results != null && !results.isEmpty();
	}

	private static SessionCallback<List<Object>> transaction(Consumer<RedisOperations<String, String>> work) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public List<Object> execute(RedisOperations operations) {
				operations.multi();
				work.accept(operations);
				return operations.exec();
			}

		};
	}

	private static SessionCallback<Object> pipelined(Consumer<RedisOperations<String, String>> work) {
		return new SessionCallback<>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public Object execute(RedisOperations operations) {
				work.accept(operations);
				return null;
			}

		};
	}

	/** One application's writes through one API; each method throws what the application would see. */
	abstract static class Writes implements AutoCloseable {

		private final Api api;

		Writes(Api api) {
			this.api = api;
		}

		Api api() {
			return this.api;
		}

		/**
		 * Writes {@code value} under {@code key}.
		 * @return whether the write was acknowledged
		 */
		abstract boolean write(String key, String value);

		/**
		 * Increments the counter under {@code key}.
		 * @return whether an {@code INCR} was sent ({@code false}: this API has none)
		 */
		abstract boolean increment(String key);

		@Override
		public void close() {
		}

	}

}
