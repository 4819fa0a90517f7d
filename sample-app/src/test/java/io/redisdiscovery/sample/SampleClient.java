package io.redisdiscovery.sample;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Calls the sample's HTTP API the way the dashboard does.
 */
final class SampleClient {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final RestClient rest;

	SampleClient(int port) {
		this.rest = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	Map<String, Object> get(String path) {
		Map<String, Object> body = this.rest.get().uri(path).retrieve().body(JSON);
		return (body != null) ? body : Map.of();
	}

	Map<String, Object> post(String path) {
		Map<String, Object> body = this.rest.post().uri(path).retrieve().body(JSON);
		return (body != null) ? body : Map.of();
	}

	int getStatus(String path) {
		return this.rest.get().uri(path).retrieve().toBodilessEntity().getStatusCode().value();
	}

	int postStatus(String path) {
		return this.rest.post().uri(path).retrieve().toBodilessEntity().getStatusCode().value();
	}

	int put(String path, String body) {
		return this.rest.put()
			.uri(path)
			.contentType(MediaType.TEXT_PLAIN)
			.body(body)
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value();
	}

	@Nullable String getText(String path) {
		return this.rest.get().uri(path).retrieve().body(String.class);
	}

	long increment(String counter) {
		return ((Number) post("/api/counters/" + counter).get("value")).longValue();
	}

	Map<String, Object> topology() {
		return get("/actuator/redis-topology");
	}

	@SuppressWarnings("unchecked")
	List<Map<String, Object>> faults() {
		return (List<Map<String, Object>>) get("/api/lab").get("faults");
	}

	@SuppressWarnings("unchecked")
	@Nullable Map<String, Object> lastFault() {
		return (Map<String, Object>) get("/api/lab").get("lastFault");
	}

	@SuppressWarnings("unchecked")
	List<Map<String, Object>> workloadSeconds() {
		return (List<Map<String, Object>>) get("/api/workload").get("seconds");
	}

}
