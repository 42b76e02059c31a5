package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.TenantPolicy;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Whether a request may be served at all, before any of the broker's state is consulted: it is
 * well-formed and within limits ({@link RequestValidator}), its tenant is known (with {@code
 * unknown-tenants: reject}), its replyTo is allowed and exists ({@link ReplyTo}), and its tenant
 * may use its model.
 */
final class RequestChecks {

  private final RequestValidator validator;
  private final Tenancy.UnknownTenants unknownTenants;
  private final ReadOnlyKeyValueStore<String, TenantPolicy> policies;
  private final TenantTopics tenantTopics;
  private final ReplyTo replyTo;

  RequestChecks(
      RequestValidator validator,
      Tenancy.UnknownTenants unknownTenants,
      ReadOnlyKeyValueStore<String, TenantPolicy> policies,
      TenantTopics tenantTopics,
      ReplyTo replyTo) {
    this.validator = validator;
    this.unknownTenants = unknownTenants;
    this.policies = policies;
    this.tenantTopics = tenantTopics;
    this.replyTo = replyTo;
  }

  /** The first reason to refuse the request, or empty if it may proceed. */
  Optional<Rejection> check(InferenceRequest request, Instant now) {
    Optional<Rejection> invalid = validator.validate(request, now);
    if (invalid.isEmpty()) {
      invalid = unknownTenant(request.getTenantId());
    }
    if (invalid.isEmpty()) {
      invalid = replyTo.check(request, tenantTopics.has(request.getTenantId()));
    }
    return invalid;
  }

  /** With {@code unknown-tenants: reject}, a tenant without a policy is refused. */
  Optional<Rejection> unknownTenant(String tenant) {
    if (unknownTenants == Tenancy.UnknownTenants.REJECT && policies.get(tenant) == null) {
      return Optional.of(
          new Rejection(
              ReasonCode.UNKNOWN_TENANT,
              "tenant '"
                  + tenant
                  + "' is not known to this broker (broker.unknown-tenants: reject); an operator"
                  + " registers it with aibroker tenants grant or tenants set"));
    }
    return Optional.empty();
  }

  /** MODEL_NOT_ALLOWED unless the policy allows the model by its name or by the alias asked for. */
  static Optional<Rejection> modelAllowed(
      InferenceRequest request, ModelDefinition model, EffectivePolicy policy) {
    if (policy.allows(model.name()) || policy.allows(request.getModel())) {
      return Optional.empty();
    }
    return Optional.of(
        new Rejection(
            ReasonCode.MODEL_NOT_ALLOWED,
            "tenant " + request.getTenantId() + " may not use model '" + request.getModel() + "'"));
  }
}
