package io.aibroker.app.http;

import io.aibroker.broker.ModelCatalog;
import io.aibroker.broker.ModelDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model ids a client of the OpenAI API can ask for, the catalog's models and then its aliases
 * (each by name), with the model it stands for, and which of them a tenant may use: the same rule
 * the broker applies (a tenant without allowed models may use all; else an id is usable if the
 * tenant's list names it or the model it resolves to), so that {@code GET /v1/models} never lists
 * an id a request would be refused for.
 */
public final class ModelDirectory {

  private final Map<String, String> modelOf;

  private ModelDirectory(Map<String, String> modelOf) {
    this.modelOf = modelOf;
  }

  /**
   * The directory of a catalog.
   *
   * @param catalog the models
   * @param aliases alias to model name, as configured (null for none)
   */
  public static ModelDirectory of(ModelCatalog catalog, Map<String, String> aliases) {
    Map<String, String> modelOf = new LinkedHashMap<>();
    // Models by name, then aliases by name: the list reads the same on every start.
    catalog.models().stream()
        .map(ModelDefinition::name)
        .sorted()
        .forEach(name -> modelOf.put(name, name));
    for (String alias : new TreeMap<>(aliases == null ? Map.of() : aliases).keySet()) {
      catalog.resolve(alias).ifPresent(model -> modelOf.put(alias, model.name()));
    }
    return new ModelDirectory(Collections.unmodifiableMap(modelOf));
  }

  /** The ids usable by a tenant with these allowed models (empty: all), models first. */
  List<String> usable(List<String> allowedModels) {
    List<String> ids = new ArrayList<>();
    modelOf.forEach(
        (id, model) -> {
          if (allows(allowedModels, id, model)) {
            ids.add(id);
          }
        });
    return ids;
  }

  /** The id if it exists and a tenant with these allowed models may use it. */
  Optional<String> find(String id, List<String> allowedModels) {
    String model = modelOf.get(id);
    return model != null && allows(allowedModels, id, model) ? Optional.of(id) : Optional.empty();
  }

  private static boolean allows(List<String> allowedModels, String id, String model) {
    return allowedModels.isEmpty() || allowedModels.contains(id) || allowedModels.contains(model);
  }
}
