package io.aibroker.broker;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The logical models the broker knows, by name and by alias. */
public final class ModelCatalog {

  private final Map<String, ModelDefinition> byName;

  private ModelCatalog(Map<String, ModelDefinition> byName) {
    this.byName = Map.copyOf(byName);
  }

  /**
   * Builds the catalog.
   *
   * @param models the models
   * @param aliases alias -> model name; every target must be a model
   */
  public static ModelCatalog of(List<ModelDefinition> models, Map<String, String> aliases) {
    Map<String, ModelDefinition> byName = new LinkedHashMap<>();
    for (ModelDefinition model : models) {
      if (byName.put(model.name(), model) != null) {
        throw new IllegalArgumentException("model " + model.name() + " is defined twice");
      }
    }
    aliases.forEach(
        (alias, target) -> {
          ModelDefinition model = byName.get(target);
          if (model == null) {
            throw new IllegalArgumentException(
                "alias " + alias + " points at unknown model " + target);
          }
          if (byName.containsKey(alias)) {
            throw new IllegalArgumentException("alias " + alias + " hides a model of that name");
          }
          byName.put(alias, model);
        });
    return new ModelCatalog(byName);
  }

  /** The model a name or alias stands for. */
  public Optional<ModelDefinition> resolve(String nameOrAlias) {
    return Optional.ofNullable(byName.get(nameOrAlias));
  }

  /** Every model (aliases excluded). */
  public Collection<ModelDefinition> models() {
    return byName.values().stream().distinct().toList();
  }

  /** Names of every provider some route uses: each needs a dispatch topic. */
  public List<String> providers() {
    return models().stream()
        .flatMap(m -> m.routes().stream())
        .map(o -> o.route().getProvider())
        .distinct()
        .sorted()
        .toList();
  }
}
