package io.aibroker.workers;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import java.time.Instant;
import java.util.List;

/** Dispatch records for tests. */
final class Dispatches {

  private Dispatches() {}

  static DispatchRequest chat(String requestId, String tenant, Route route) {
    return chat(requestId, tenant, route, false, null);
  }

  static DispatchRequest chat(
      String requestId, String tenant, Route route, boolean stream, Instant deadline) {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(requestId)
            .setTenantId(tenant)
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", "hello " + requestId, null)))
            .setStream(stream)
            .setDeadline(deadline)
            .setCreatedAt(Instant.now())
            .build();
    return DispatchRequest.newBuilder()
        .setRequestId(requestId)
        .setTenantId(tenant)
        .setRequest(request)
        .setRoute(route)
        .setDeadline(deadline)
        .setDispatchedAt(Instant.now())
        .build();
  }
}
