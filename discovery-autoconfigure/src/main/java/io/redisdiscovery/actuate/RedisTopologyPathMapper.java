package io.redisdiscovery.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMapper;

/**
 * Maps the {@code redistopology} endpoint to the web path {@code redis-topology} unless
 * {@code management.endpoints.web.path-mapping.redistopology} says otherwise (Spring Boot's property-based mapper
 * runs first).
 *
 * @since 0.1.0
 */
public class RedisTopologyPathMapper implements PathMapper {

	private static final EndpointId ID = EndpointId.of(RedisTopologyEndpoint.ID);

	@Override
	public @Nullable String getRootPath(EndpointId endpointId) {
		return ID.equals(endpointId) ? "redis-topology" : null;
	}

}
