package io.aibroker.broker;

import io.aibroker.records.ProviderOutcome;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns workers' outcomes, keyed by tenant, into results and usage (see {@link
 * RequestLifecycle#complete}). Outcomes arrive at least once; duplicates are dropped there.
 */
final class CompleteRequestProcessor implements Processor<String, ProviderOutcome, String, Object> {

  private final BrokerConfig config;
  private final PriceTable prices;
  private final BrokerMetrics metrics;
  private final ReplyTopics replyTopics;
  private final Clock clock;
  private RequestLifecycle lifecycle;
  private CommitWhenIdle commitWhenIdle;

  CompleteRequestProcessor(
      BrokerConfig config,
      PriceTable prices,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Clock clock) {
    this.config = config;
    this.prices = prices;
    this.metrics = metrics;
    this.replyTopics = replyTopics;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    lifecycle =
        new RequestLifecycle(
            config,
            prices,
            BrokerStores.from(context),
            new Outputs(context),
            metrics,
            replyTopics,
            tenant -> {}); // completing never queues
    commitWhenIdle = CommitWhenIdle.of(context, config.exactlyOnce());
  }

  @Override
  public void process(Record<String, ProviderOutcome> record) {
    if (record.value() != null) {
      lifecycle.complete(record.value(), clock.instant());
    }
    commitWhenIdle.processed();
  }
}
