package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.TenantPolicy;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Label values of the broker's meters, taken only from configuration: a model the catalog knows, a
 * tenant that has a policy (or, while unknown tenants are served with defaults, a well-formed
 * tenant id, of which {@link BrokerMetrics} tags the first thousand). Anything else a request
 * carries shares one constant label, so no input can add time series without bound.
 */
final class MeterLabels {

  /** The model label of requests naming a model the catalog does not know. */
  static final String UNKNOWN = "_unknown";

  private final BrokerConfig config;
  private final RequestValidator ids;
  private final ReadOnlyKeyValueStore<String, TenantPolicy> policies;

  MeterLabels(BrokerConfig config, ReadOnlyKeyValueStore<String, TenantPolicy> policies) {
    this.config = config;
    this.ids = new RequestValidator(config.limits(), config.models());
    this.policies = policies;
  }

  /** The request's model as given if the catalog knows it (a name or an alias), else UNKNOWN. */
  String model(InferenceRequest request) {
    String model = request.getModel();
    return model != null && config.models().resolve(model).isPresent() ? model : UNKNOWN;
  }

  /** The request's tenant if it is known, else {@link BrokerMetrics#OTHER}. */
  String tenant(InferenceRequest request) {
    String tenant = request.getTenantId();
    if (!ids.isValidId(tenant)) {
      return BrokerMetrics.OTHER;
    }
    boolean servedWithDefaults =
        config.tenancy().unknownTenants() == Tenancy.UnknownTenants.DEFAULTS;
    return servedWithDefaults || policies.get(tenant) != null ? tenant : BrokerMetrics.OTHER;
  }
}
