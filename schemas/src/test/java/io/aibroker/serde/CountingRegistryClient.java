package io.aibroker.serde;

import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.registry.SchemaMetadata;
import io.aibroker.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** An in-memory registry that counts calls per method and can be made to fail. */
final class CountingRegistryClient implements SchemaRegistryClient {

  final InMemorySchemaRegistryClient delegate = new InMemorySchemaRegistryClient();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  volatile RuntimeException failure;
  volatile boolean closed;

  int calls(String method) {
    AtomicInteger count = calls.get(method);
    return count == null ? 0 : count.get();
  }

  int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void count(String method) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public int register(String subject, Schema schema) {
    count("register");
    return delegate.register(subject, schema);
  }

  @Override
  public int getId(String subject, Schema schema) {
    count("getId");
    return delegate.getId(subject, schema);
  }

  @Override
  public SchemaMetadata lookup(String subject, Schema schema) {
    count("lookup");
    return delegate.lookup(subject, schema);
  }

  @Override
  public Schema getById(int id) {
    count("getById");
    return delegate.getById(id);
  }

  @Override
  public SchemaMetadata getLatest(String subject) {
    count("getLatest");
    return delegate.getLatest(subject);
  }

  @Override
  public SchemaMetadata getVersion(String subject, int version) {
    count("getVersion");
    return delegate.getVersion(subject, version);
  }

  @Override
  public List<String> subjects() {
    count("subjects");
    return delegate.subjects();
  }

  @Override
  public List<Integer> versions(String subject) {
    count("versions");
    return delegate.versions(subject);
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    count("testCompatibility");
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public String getCompatibility(String subjectOrNull) {
    count("getCompatibility");
    return delegate.getCompatibility(subjectOrNull);
  }

  @Override
  public void setCompatibility(String subjectOrNull, String level) {
    count("setCompatibility");
    delegate.setCompatibility(subjectOrNull, level);
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    count("deleteSubject");
    return delegate.deleteSubject(subject);
  }

  @Override
  public void close() {
    closed = true;
  }
}
