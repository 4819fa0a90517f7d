package io.redisdiscovery.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.HashedWheelTimer;
import io.redisdiscovery.retry.BlockingCommandTimeouts;
import io.redisdiscovery.retry.RetryingLettuceConnectionFactory;
import io.redisdiscovery.topology.LettuceCompatibility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.Mockito.mock;

class RedisDiscoveryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisDiscoveryAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void runShouldReplaceBootFactoryWithExactlyOneRetryingFactory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisConnectionFactory.class);
			assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(RetryingLettuceConnectionFactory.class);
			assertThat(context.getBean(StringRedisTemplate.class).getConnectionFactory())
				.isSameAs(context.getBean(RedisConnectionFactory.class));
		});
	}

	@Test
	void runShouldApplyProductionDefaults() {
		this.contextRunner.run((context) -> {
			LettuceClientConfiguration configuration = context.getBean(RetryingLettuceConnectionFactory.class)
				.getClientConfiguration();
			assertThat(configuration.getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(configuration.getClientOptions()).hasValueSatisfying((options) -> {
				assertThat(options.isAutoReconnect()).isTrue();
				assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
				assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
				assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
			});
		});
	}

	@Test
	void runWhenStandaloneShouldConnectToConfiguredAddress() {
		this.contextRunner
			.withPropertyValues("redis.discovery.standalone.host=redis.internal", "redis.discovery.standalone.port=6380",
					"redis.discovery.database=3", "redis.discovery.timeout.command=750ms")
			.run((context) -> {
				LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
				assertThat(lettuce.getHostName()).isEqualTo("redis.internal");
				assertThat(lettuce.getPort()).isEqualTo(6380);
				assertThat(lettuce.getDatabase()).isEqualTo(3);
				assertThat(lettuce.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(750));
			});
	}

	@Test
	void runWhenLoadBalancerShouldConnectToBalancerAddress() {
		this.contextRunner
			.withPropertyValues("redis.discovery.mode=load-balancer", "redis.discovery.load-balancer.host=lb.internal",
					"redis.discovery.load-balancer.port=16379")
			.run((context) -> {
				LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
				assertThat(lettuce.getHostName()).isEqualTo("lb.internal");
				assertThat(lettuce.getPort()).isEqualTo(16379);
			});
	}

	@Test
	void runWhenUserDefinesFactoryShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserFactoryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(RedisConnectionFactory.class);
			assertThat(context).getBean(RedisConnectionFactory.class)
				.isSameAs(context.getBean(UserFactoryConfiguration.class).factory);
		});
	}

	@Test
	void runShouldGiveBlockingCommandsTheirBlockTime() {
		this.contextRunner.run((context) -> {
			LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
			assertThat(lettuce.getClientConfiguration().getClientOptions()).hasValueSatisfying((options) -> assertThat(
					options.getTimeoutOptions().getSource())
				.isInstanceOf(BlockingCommandTimeouts.class));
			assertThat(lettuce.getTimeout()).as("Spring Data Redis' own await, left to Lettuce").isZero();
		});
	}

	@Test
	void runWhenCustomizerSetsTimeoutOptionsShouldUseThem() {
		this.contextRunner
			.withBean(LettuceClientOptionsBuilderCustomizer.class,
					() -> (builder) -> builder.timeoutOptions(TimeoutOptions.enabled()))
			.run((context) -> {
				LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
				assertThat(lettuce.getClientConfiguration().getClientOptions()).hasValueSatisfying(
						(options) -> assertThat(options.getTimeoutOptions().isApplyConnectionTimeout()).isTrue());
				assertThat(lettuce.getTimeout()).isEqualTo(Duration.ofSeconds(2).toMillis());
			});
	}

	@Test
	void runShouldLeaveLettuceMaintenanceNotificationsOff() {
		// On by default in Lettuce 7 (Spring Boot 4.1); Lettuce 6 has none.
		this.contextRunner.run((context) -> {
			LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
			assertThat(lettuce.getClientConfiguration().getClientOptions()).hasValueSatisfying(
					(options) -> assertThat(LettuceCompatibility.maintNotificationsEnabled(options)).isFalse());
		});
	}

	@Test
	void runWhenCustomizerTurnsMaintenanceNotificationsOnShouldKeepThem() throws Exception {
		Class<?> config = maintNotificationsConfigClass();
		assumeTrue(config != null, "Lettuce 6 has no maintenance notifications");
		Object enabled = config.getMethod("enabled").invoke(null);
		Method setter = ClientOptions.Builder.class.getMethod("maintNotificationsConfig", config);
		this.contextRunner.withBean(LettuceClientOptionsBuilderCustomizer.class, () -> (builder) -> {
			try {
				setter.invoke(builder, enabled);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}).run((context) -> {
			LettuceConnectionFactory lettuce = context.getBean(RetryingLettuceConnectionFactory.class);
			assertThat(lettuce.getClientConfiguration().getClientOptions()).hasValueSatisfying(
					(options) -> assertThat(LettuceCompatibility.maintNotificationsEnabled(options)).isTrue());
		});
	}

	private static @Nullable Class<?> maintNotificationsConfigClass() {
		try {
			return Class.forName("io.lettuce.core.MaintNotificationsConfig");
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	@Test
	void runShouldGiveLettuceAFineTimerAndStopItWithTheContext() {
		AtomicReference<HashedWheelTimer> timer = new AtomicReference<>();
		this.contextRunner.run((context) -> {
			timer.set(context.getBean(HashedWheelTimer.class));
			assertThat(context.getBean(ClientResources.class).timer()).isSameAs(timer.get());
		});
		assertThatIllegalStateException().as("a stopped timer")
			.isThrownBy(() -> timer.get().newTimeout((timeout) -> {
			}, 1, TimeUnit.SECONDS));
	}

	@Test
	void runWhenApplicationHasClientResourcesShouldLeaveItsTimerAlone() {
		ClientResources resources = ClientResources.create();
		try {
			this.contextRunner.withBean(ClientResources.class, () -> resources).run((context) -> {
				assertThat(context).doesNotHaveBean(HashedWheelTimer.class);
				assertThat(context.getBean(ClientResources.class).timer()).isSameAs(resources.timer());
			});
		}
		finally {
			resources.shutdown();
		}
	}

	@Test
	void runShouldApplyBootCustomizers() {
		this.contextRunner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
			LettuceClientConfiguration configuration = context.getBean(RetryingLettuceConnectionFactory.class)
				.getClientConfiguration();
			assertThat(configuration.getClientName()).hasValue("from-customizer");
			assertThat(configuration.getClientOptions()).hasValueSatisfying(
					(options) -> assertThat(options.getRequestQueueSize()).isEqualTo(1234));
			assertThat(context.getBean(ClientResources.class).computationThreadPoolSize()).isEqualTo(3);
		});
	}

	@Test
	void runShouldBuildRetryFromProperties() {
		this.contextRunner.withPropertyValues("redis.discovery.retry.max-attempts=4").run((context) -> {
			RetryingLettuceConnectionFactory factory = context.getBean(RetryingLettuceConnectionFactory.class);
			assertThat(factory.getCommandRetry()).isNotNull();
			assertThat(factory.getCommandRetry().getRetry().getName()).isEqualTo("redis-discovery");
			assertThat(factory.getCommandRetry().getRetry().getRetryConfig().getMaxAttempts()).isEqualTo(4);
		});
	}

	@Test
	void runWhenApplicationHasRetryRegistryShouldTakeRetryFromIt() {
		this.contextRunner.withPropertyValues("redis.discovery.retry.max-attempts=4")
			.withBean(RetryRegistry.class, () -> RetryRegistry.of(RetryConfig.custom().maxAttempts(7).build()))
			.run((context) -> {
				Retry retry = context.getBean(RetryingLettuceConnectionFactory.class).getCommandRetry().getRetry();
				assertThat(retry).isSameAs(context.getBean(RetryRegistry.class).retry("redis-discovery"));
				assertThat(retry.getRetryConfig().getMaxAttempts()).isEqualTo(7);
			});
	}

	@Test
	void runWhenApplicationDefinesRetryBeanShouldUseIt() {
		Retry userRetry = Retry.of("mine", RetryConfig.custom().maxAttempts(2).build());
		this.contextRunner.withBean("redisDiscoveryRetry", Retry.class, () -> userRetry)
			.withBean(RetryRegistry.class, RetryRegistry::ofDefaults)
			.run((context) -> assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getCommandRetry().getRetry())
				.isSameAs(userRetry));
	}

	@Test
	void runShouldApplyRetryConfigCustomizers() {
		this.contextRunner
			.withBean(RedisDiscoveryRetryConfigCustomizer.class, () -> (builder) -> builder.maxAttempts(5))
			.run((context) -> assertThat(context.getBean(RetryingLettuceConnectionFactory.class)
				.getCommandRetry()
				.getRetry()
				.getRetryConfig()
				.getMaxAttempts()).isEqualTo(5));
	}

	@Test
	void runWhenRetryDisabledShouldNotRetry() {
		this.contextRunner.withPropertyValues("redis.discovery.retry.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean("redisDiscoveryRetry");
			assertThat(context.getBean(RetryingLettuceConnectionFactory.class).getCommandRetry()).isNull();
		});
	}

	@Test
	void runWhenDisabledShouldLeaveBootFactory() {
		this.contextRunner.withPropertyValues("redis.discovery.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(RedisConnectionFactory.class);
			assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(LettuceConnectionFactory.class);
		});
	}

	@Test
	void runWhenResilience4jIsAbsentShouldBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Retry.class))
			.run((context) -> assertThat(context.getBean(RedisConnectionFactory.class))
				.isInstanceOf(LettuceConnectionFactory.class));
	}

	@Test
	void runWhenModeIsUnknownShouldFailNamingPropertyAndAllowedValues() {
		this.contextRunner.withPropertyValues("redis.discovery.mode=bogus").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new DiscoveryPropertyBindFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'redis.discovery.mode'").contains("'bogus'");
			assertThat(analysis.getAction()).isEqualTo("Set 'redis.discovery.mode' to one of: standalone, dns, sentinel, cluster, load-balancer.");
		});
	}

	@Test
	void runWhenPortIsOutOfRangeShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.standalone.port=70000").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidDiscoveryPropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("redis.discovery.standalone.port").contains("70000");
			assertThat(analysis.getAction()).startsWith("Review the value of the property 'redis.discovery.standalone.port'");
		});
	}

	@Test
	void runWhenUsernameIsSetWithoutPasswordShouldFailNamingPropertyAndFix() {
		this.contextRunner.withPropertyValues("redis.discovery.username=app-user").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessage("Invalid value of property 'redis.discovery.username': it is set without "
						+ "redis.discovery.password, and a user name alone is not sent to Redis (the connection "
						+ "would log in as the default user)");
			FailureAnalysis analysis = new InvalidDiscoveryPropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getAction()).isEqualTo("Review the value of the property 'redis.discovery.username': "
					+ "set redis.discovery.password too (any value for an ACL user with 'nopass'), or remove "
					+ "redis.discovery.username to log in as the default user.");
		});
	}

	@Test
	void runWhenUsernameAndPasswordAreSetShouldStart() {
		this.contextRunner.withPropertyValues("redis.discovery.username=app-user", "redis.discovery.password=secret")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void runWhenMaxAttemptsIsZeroShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.retry.max-attempts=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("redis.discovery.retry.max-attempts"));
	}

	@Test
	void runWhenCommandTimeoutIsZeroShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.timeout.command=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("redis.discovery.timeout.command"));
	}

	@Test
	void runWhenKeepAliveIsUnderASecondShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.timeout.keep-alive=500ms")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("redis.discovery.timeout.keep-alive")
				.hasMessageContaining("under one second"));
	}

	@Test
	void runWhenSslBundleIsUnknownShouldFailNamingProperty() {
		this.contextRunner.withPropertyValues("redis.discovery.ssl.bundle=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidDiscoveryPropertyException.class)
				.hasMessageContaining("redis.discovery.ssl.bundle")
				.hasMessageContaining("missing"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserFactoryConfiguration {

		final RedisConnectionFactory factory = mock(RedisConnectionFactory.class);

		@Bean
		RedisConnectionFactory userConnectionFactory() {
			return this.factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		LettuceClientConfigurationBuilderCustomizer clientNameCustomizer() {
			return (builder) -> builder.clientName("from-customizer");
		}

		@Bean
		LettuceClientOptionsBuilderCustomizer queueCustomizer() {
			return (builder) -> builder.requestQueueSize(1234);
		}

		@Bean
		ClientResourcesBuilderCustomizer threadsCustomizer() {
			return (builder) -> builder.computationThreadPoolSize(3);
		}

	}

}
