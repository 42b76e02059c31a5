package io.aibroker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.serde.AvroDeserializer;
import io.aibroker.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A schema id the registry does not know costs one lookup per id and interval, not per record. */
class UnknownSchemaIdTest {

  private static final String STRING_SCHEMA = "{\"schema\":\"\\\"string\\\"\"}";

  private final FakeRegistryServer server = newServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private RestSchemaRegistryClient client =
      client(server.url(), RestSchemaRegistryClient.MAX_UNKNOWN_IDS);

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void anUnknownIdIsLookedUpOncePerIntervalHoweverOftenItIsAsked() {
    notFound(99);

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> client.getById(99))
          .isInstanceOf(SchemaNotFoundException.class)
          .hasMessageContaining("Schema 99 not found");
    }
    assertThat(lookups(99)).isEqualTo(1);

    clock.advance(RestSchemaRegistryClient.UNKNOWN_ID_TTL.minusSeconds(1));
    assertThatThrownBy(() -> client.getById(99)).isInstanceOf(SchemaNotFoundException.class);
    assertThat(lookups(99)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> client.getById(99)).isInstanceOf(SchemaNotFoundException.class);
    assertThat(lookups(99)).isEqualTo(2);
  }

  @Test
  void aFloodOfRecordsWithABogusIdCostsTheDeserializerOneLookup() {
    notFound(4242);
    byte[] record = ByteBuffer.allocate(6).put((byte) 0).putInt(4242).put((byte) 0).array();
    try (AvroDeserializer<Object> deserializer = new AvroDeserializer<>(client)) {
      for (int i = 0; i < 1_000; i++) {
        assertThatThrownBy(() -> deserializer.deserialize("requests", record))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("Unknown schema id 4242");
      }
    }
    assertThat(lookups(4242)).isEqualTo(1);
  }

  @Test
  void anIdRegisteredMeanwhileIsFoundOnceTheIntervalIsOver() {
    notFound(7);
    server.answer("GET /schemas/ids/7", 200, STRING_SCHEMA);
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(SchemaNotFoundException.class);

    clock.advance(RestSchemaRegistryClient.UNKNOWN_ID_TTL);

    assertThat(client.getById(7).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
    assertThat(lookups(7)).isEqualTo(2);
  }

  @Test
  void eachUnknownIdCostsItsOwnLookup() {
    for (int id = 1; id <= 5; id++) {
      notFound(id);
    }
    for (int round = 0; round < 3; round++) {
      for (int id = 1; id <= 5; id++) {
        int unknown = id;
        assertThatThrownBy(() -> client.getById(unknown))
            .isInstanceOf(SchemaNotFoundException.class);
      }
    }
    assertThat(server.requests()).hasSize(5);
  }

  @Test
  void serverErrorsAndOtherNotFoundAnswersAreNotRemembered() {
    server.error("GET /schemas/ids/5", 500, 50001, "Error in the backend data store");
    // Unscripted ids get 404 with error code 40499: not "schema not found".
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.getById(5))
          .isInstanceOf(SchemaRegistryException.class)
          .isNotInstanceOf(SchemaNotFoundException.class);
      assertThatThrownBy(() -> client.getById(6))
          .isInstanceOf(SchemaRegistryException.class)
          .isNotInstanceOf(SchemaNotFoundException.class);
    }
    assertThat(lookups(5)).isEqualTo(2);
    assertThat(lookups(6)).isEqualTo(2);
    assertThat(client.unknownIdsRemembered()).isZero();
  }

  @Test
  void anUnreachableRegistryIsNotRemembered() {
    server.close();

    assertThatThrownBy(() -> client.getById(3))
        .isInstanceOf(SchemaRegistryUnavailableException.class);
    assertThat(client.unknownIdsRemembered()).isZero();
  }

  @Test
  void atMostTheBoundOfUnknownIdsIsRemembered() {
    client.close();
    client = client(server.url(), 3);
    for (int id = 1; id <= 20; id++) {
      notFound(id);
      int unknown = id;
      assertThatThrownBy(() -> client.getById(unknown)).isInstanceOf(SchemaNotFoundException.class);
    }

    assertThat(client.unknownIdsRemembered()).isLessThanOrEqualTo(3);
  }

  private void notFound(int id) {
    server.error("GET /schemas/ids/" + id, 404, 40403, "Schema " + id + " not found");
  }

  private long lookups(int id) {
    List<FakeRegistryServer.Request> requests = server.requests();
    return requests.stream().filter(r -> r.rawPathAndQuery().equals("/schemas/ids/" + id)).count();
  }

  private RestSchemaRegistryClient client(URI url, int maxUnknownIds) {
    return new RestSchemaRegistryClient(
        new SchemaRegistryConfig(List.of(url), Duration.ofSeconds(5), 1, Duration.ZERO, null),
        clock,
        maxUnknownIds);
  }

  private static FakeRegistryServer newServer() {
    try {
      return new FakeRegistryServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
