package io.redisdiscovery.sample.lab;

/**
 * A fault the embedded lab can inject, as the dashboard shows it.
 *
 * @param name the name used in {@code POST /api/lab/faults/{name}}
 * @param label the button text
 * @param description what happens to the deployment
 */
public record LabFault(String name, String label, String description) {

}
