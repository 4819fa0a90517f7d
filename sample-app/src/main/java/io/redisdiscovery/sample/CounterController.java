package io.redisdiscovery.sample;

import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A counter and a key/value store, the way applications use Redis.
 */
@RestController
class CounterController {

	private final StringRedisTemplate redis;

	CounterController(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@PostMapping("/api/counters/{name}")
	Map<String, Object> increment(@PathVariable String name) {
		Long value = this.redis.opsForValue().increment("counter:" + name);
		return Map.of("name", name, "value", (value != null) ? value : 0);
	}

	@GetMapping("/api/counters/{name}")
	Map<String, Object> read(@PathVariable String name) {
		String value = this.redis.opsForValue().get("counter:" + name);
		return Map.of("name", name, "value", (value != null) ? Long.parseLong(value) : 0);
	}

}
