package io.aibroker.app.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** OpenAI's JSON shapes of {@code GET /v1/models}: a model object, and the list of them. */
final class ModelsJson {

  /** The longest id echoed in an error message: ids come from the caller. */
  static final int MAX_SHOWN_ID = 128;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ModelsJson() {}

  /** {@code {"object": "list", "data": [model, ...]}}. */
  static ObjectNode list(List<String> ids, long created) {
    ObjectNode list = NODES.objectNode().put("object", "list");
    var data = list.putArray("data");
    ids.forEach(id -> data.add(model(id, created)));
    return list;
  }

  /** {@code {"id", "object": "model", "created", "owned_by": "aibroker"}}. */
  static ObjectNode model(String id, long created) {
    return NODES
        .objectNode()
        .put("id", id)
        .put("object", "model")
        .put("created", created)
        .put("owned_by", "aibroker");
  }

  /** An id as an error message may show it: cut to {@value #MAX_SHOWN_ID} characters. */
  static String shown(String id) {
    return id.length() <= MAX_SHOWN_ID ? id : id.substring(0, MAX_SHOWN_ID) + "...";
  }
}
