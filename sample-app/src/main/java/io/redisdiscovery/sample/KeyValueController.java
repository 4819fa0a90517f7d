package io.redisdiscovery.sample;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A key/value store with optional expiry ({@code ttl=30s}, {@code ttl=PT30S}), like a session or page cache.
 */
@RestController
class KeyValueController {

	private final StringRedisTemplate redis;

	KeyValueController(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@PutMapping("/api/values/{key}")
	ResponseEntity<Void> put(@PathVariable String key, @RequestBody String value,
			@RequestParam(required = false) @Nullable String ttl) {
		if (ttl != null) {
			this.redis.opsForValue().set(redisKey(key), value, DurationStyle.detectAndParse(ttl));
		}
		else {
			this.redis.opsForValue().set(redisKey(key), value);
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/api/values/{key}")
	ResponseEntity<String> get(@PathVariable String key) {
		String value = this.redis.opsForValue().get(redisKey(key));
		return (value != null) ? ResponseEntity.ok(value) : ResponseEntity.notFound().build();
	}

	@DeleteMapping("/api/values/{key}")
	ResponseEntity<Void> delete(@PathVariable String key) {
		this.redis.delete(redisKey(key));
		return ResponseEntity.noContent().build();
	}

	private static String redisKey(String key) {
		return "sample:value:" + key;
	}

}
