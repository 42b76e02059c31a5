package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.TenantPolicy;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whether a request may be served at all: validation, unknown tenants, replyTo, allowed models. */
class RequestChecksTest {

  private static final Topics TOPICS = Topics.defaults();
  private static final Set<String> EXISTING =
      Set.of("acme.replies", "aibroker.replies.acme", TOPICS.tenantResults("acme"));

  private final RuleFixture fixture = new RuleFixture();
  private final ReplyTo replyTo =
      new ReplyTo(new ReplyToRules(TOPICS, "test-broker"), EXISTING::contains);

  private RequestChecks checks(Tenancy.UnknownTenants unknownTenants) {
    return new RequestChecks(
        new RequestValidator(RequestLimits.defaults(), TestRequests.models()),
        unknownTenants,
        fixture.policies,
        new TenantTopics(TOPICS, fixture.policies, EXISTING::contains),
        replyTo);
  }

  private void known(String tenant, boolean ownTopics) {
    fixture.policies.put(
        tenant,
        TenantPolicy.newBuilder()
            .setTenantId(tenant)
            .setOwnTopics(ownTopics)
            .setUpdatedAt(NOW)
            .build());
  }

  @Test
  void aValidRequestOfAServedTenantPasses() {
    assertThat(
            checks(Tenancy.UnknownTenants.DEFAULTS)
                .check(chat("r1", "acme", "a").setReplyTo("acme.replies").build(), NOW))
        .isEmpty();
  }

  @Test
  void anInvalidRequestIsRefusedByValidationFirst() {
    known("acme", false);
    InferenceRequest invalid = chat("r1", "acme", "a").setDeadline(NOW).build();

    assertThat(checks(Tenancy.UnknownTenants.REJECT).check(invalid, NOW))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.DEADLINE));
  }

  @Test
  void anUnknownTenantIsRefusedOnlyWhenUnknownTenantsAreRejected() {
    InferenceRequest request = chat("r1", "acme", "a").build();

    assertThat(checks(Tenancy.UnknownTenants.REJECT).check(request, NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.UNKNOWN_TENANT);
              assertThat(r.message()).contains("tenant 'acme' is not known");
            });
    assertThat(checks(Tenancy.UnknownTenants.DEFAULTS).check(request, NOW)).isEmpty();

    known("acme", false);
    assertThat(checks(Tenancy.UnknownTenants.REJECT).check(request, NOW)).isEmpty();
  }

  @Test
  void aReplyToMustBeAllowedAndExist() {
    RequestChecks checks = checks(Tenancy.UnknownTenants.DEFAULTS);

    assertThat(checks.check(chat("r1", "acme", "a").setReplyTo("aibroker.usage").build(), NOW))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("internal topic"));
    assertThat(checks.check(chat("r1", "acme", "a").setReplyTo("missing").build(), NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_REQUEST);
              assertThat(r.message()).isEqualTo("replyTo topic 'missing' does not exist");
            });
  }

  @Test
  void aTenantWithTopicsOfItsOwnMayOnlyNameItsOwnReplyTopic() {
    known("acme", true);
    RequestChecks checks = checks(Tenancy.UnknownTenants.DEFAULTS);

    assertThat(checks.check(chat("r1", "acme", "a").setReplyTo("acme.replies").build(), NOW))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("not this tenant's reply"));
    assertThat(
            checks.check(chat("r1", "acme", "a").setReplyTo("aibroker.replies.acme").build(), NOW))
        .isEmpty();
  }

  @Test
  void theResultIsCopiedOnlyToAnAllowedExistingReplyTo() {
    assertThat(replyTo.target(chat("r1", "acme", "a").build(), false)).isNull();
    assertThat(replyTo.target(chat("r1", "acme", "a").setReplyTo("acme.replies").build(), false))
        .isEqualTo("acme.replies");
    assertThat(replyTo.target(chat("r1", "acme", "a").setReplyTo("acme.replies").build(), true))
        .isNull();
    assertThat(replyTo.target(chat("r1", "acme", "a").setReplyTo("missing").build(), false))
        .isNull();
  }

  @Test
  void aTenantMayUseAModelItsPolicyAllowsByNameOrByTheAliasAskedFor() {
    ModelDefinition model = TestRequests.models().resolve("default").orElseThrow();
    InferenceRequest byAlias = chat("r1", "acme", "a").setModel("default").build();

    assertThat(RequestChecks.modelAllowed(byAlias, model, allowing())).isEmpty();
    assertThat(RequestChecks.modelAllowed(byAlias, model, allowing("chat-default"))).isEmpty();
    assertThat(RequestChecks.modelAllowed(byAlias, model, allowing("default"))).isEmpty();
    assertThat(RequestChecks.modelAllowed(byAlias, model, allowing("embed-default")))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.MODEL_NOT_ALLOWED);
              assertThat(r.message()).isEqualTo("tenant acme may not use model 'default'");
            });
  }

  private static EffectivePolicy allowing(String... models) {
    return new EffectivePolicy(
        null,
        null,
        null,
        null,
        null,
        OverLimitAction.REJECT,
        List.of(models),
        Duration.ofHours(1),
        false);
  }
}
