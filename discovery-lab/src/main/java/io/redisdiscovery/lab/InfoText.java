package io.redisdiscovery.lab;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads {@code field:value} lines out of {@code INFO} and {@code CLUSTER INFO} replies.
 */
final class InfoText {

	private InfoText() {
	}

	static @Nullable String value(String info, String field) {
		return parse(info).get(field);
	}

	static Map<String, String> parse(String info) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				values.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return values;
	}

}
