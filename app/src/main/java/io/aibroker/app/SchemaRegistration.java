package io.aibroker.app;

import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryException;
import io.aibroker.registry.Urls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the value schema of each topic aibroker provisions ({@link TopicSchemas}), so that the
 * contracts exist before the first record: a service using Confluent's serializers with {@code
 * use.latest.version} (the normal setting for one that does not own the contract) otherwise fails
 * with "Schema not found" on a fresh install. Idempotent: registering a schema a subject already
 * has returns its id and adds no version.
 */
public final class SchemaRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);

  private final SchemaRegistryClient registry;
  private final String registryUrl;
  private final TopicSchemas schemas;

  /**
   * Registration through {@code registry}.
   *
   * @param registryUrl the registry's URL, for error messages only (credentials are removed)
   */
  public SchemaRegistration(
      SchemaRegistryClient registry, String registryUrl, TopicSchemas schemas) {
    this.registry = registry;
    this.registryUrl = Urls.withoutUserInfo(registryUrl);
    this.schemas = schemas;
  }

  /**
   * Registers the value schema of each topic that has one; returns the subjects, in topic order.
   *
   * @throws IllegalStateException naming the subject and the registry when the registry refuses or
   *     cannot be reached
   */
  public List<String> register(Collection<String> topics) {
    List<String> subjects = new ArrayList<>();
    for (String topic : topics) {
      var schema = schemas.valueSchema(topic);
      if (schema.isEmpty()) {
        continue;
      }
      String subject = TopicSchemas.subject(topic, schema.get());
      register(subject, schema.get());
      subjects.add(subject);
    }
    if (!subjects.isEmpty()) {
      LOG.info("value schemas registered under {} subjects", subjects.size());
    }
    return subjects;
  }

  private void register(String subject, Schema schema) {
    try {
      registry.register(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new IllegalStateException(
          "cannot register "
              + schema.getFullName()
              + " under subject "
              + subject
              + " at the Schema Registry "
              + registryUrl
              + ": "
              + Urls.withoutUserInfo(e.getMessage()),
          e);
    }
  }
}
