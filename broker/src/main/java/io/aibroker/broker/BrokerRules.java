package io.aibroker.broker;

/**
 * The broker's rules over the stores of one task, wired together once per processor: each rule gets
 * only the state and the other rules it needs.
 *
 * @param checks whether a request may be served at all
 * @param idempotency dedupe by idempotency key, and requestId reuse
 * @param cache the response cache
 * @param coalescing identical requests in flight sharing one provider call
 * @param queue the over-limit queue of QUEUE tenants
 * @param quota admission against quotas and budgets, and settlement
 * @param dispatcher routing, dispatch, failover and the in-flight entry
 * @param answers publishing a request's one result, and answering its waiters
 */
record BrokerRules(
    RequestChecks checks,
    Idempotency idempotency,
    ResponseCache cache,
    Coalescing coalescing,
    TenantQueue queue,
    QuotaAdmission quota,
    Dispatcher dispatcher,
    Answers answers) {

  /**
   * The rules for the given configuration, over one task's stores and outputs, pricing with the
   * task's live catalog.
   */
  static BrokerRules of(
      BrokerConfig config,
      BrokerStores stores,
      Outputs outputs,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      LivePrices prices) {
    var replyToRules =
        new ReplyToRules(
            config.topics(), config.applicationId(), config.limits().replyToTenantTopicOnly());
    var replyTo = new ReplyTo(replyToRules, replyTopics);
    var tenantTopics = new TenantTopics(config.topics(), stores.policies(), replyTopics);
    var checks =
        new RequestChecks(
            new RequestValidator(config.limits(), config.models()),
            config.tenancy().unknownTenants(),
            stores.policies(),
            tenantTopics,
            replyTo);
    var waitingRoom = new WaitingRoom(config.tenancy(), stores.waiters(), stores.usage());
    var idempotency =
        new Idempotency(
            stores.idempotency(),
            stores.inFlight(),
            waitingRoom,
            config.tenantDefaults().idempotencyWindow(),
            metrics);
    var coalescing =
        new Coalescing(
            stores.contentLeaders(), stores.inFlight(), waitingRoom, idempotency, metrics);
    var queue =
        new TenantQueue(
            stores.usage(), config.models(), prices, config.tenantDefaults().maxQueued());
    return new BrokerRules(
        checks,
        idempotency,
        new ResponseCache(stores.cache(), stores.sharedCache(), outputs, metrics),
        coalescing,
        queue,
        new QuotaAdmission(stores.usage(), prices, queue, metrics),
        new Dispatcher(
            stores.inFlight(), stores.health(), tenantTopics, coalescing, idempotency, outputs),
        new Answers(
            outputs,
            metrics,
            new MeterLabels(config, stores.policies()),
            tenantTopics,
            replyTo,
            idempotency,
            waitingRoom,
            config.models(),
            prices));
  }
}
