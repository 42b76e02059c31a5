package io.aibroker.broker;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;

/** The provider service tier a call is priced at. */
final class ServiceTiers {

  private ServiceTiers() {}

  /** The tier a route asks for; the standard tier when it names none. */
  static String of(Route route) {
    String tier = route.getServiceTier();
    return tier == null || tier.isBlank() ? PriceVersion.STANDARD_TIER : tier;
  }

  /** The tier the provider reports it served the call at, else the route's. */
  static String of(ProviderOutcome outcome) {
    String reported = outcome.getServiceTier();
    return reported == null || reported.isBlank() ? of(outcome.getRoute()) : reported;
  }

  /**
   * The tier a result answered without a call of its own would have been served at: that of the
   * model's route to the result's provider model, else the standard tier.
   */
  static String ofAnswer(ModelCatalog models, String model, InferenceResult result) {
    var definition = models.resolve(model);
    if (definition.isPresent() && result.getProviderModel() != null) {
      for (RouteOption option : definition.get().routes()) {
        Route route = option.route();
        if (result.getProviderModel().equals(route.getProviderModel())
            && (result.getProvider() == null || result.getProvider().equals(route.getProvider()))) {
          return of(route);
        }
      }
    }
    return PriceVersion.STANDARD_TIER;
  }
}
