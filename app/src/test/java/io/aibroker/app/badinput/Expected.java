package io.aibroker.app.badinput;

import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;

/** How one corpus case must end. */
sealed interface Expected {

  /** One line for the report table. */
  String describe();

  /** Whether the ends observed for the case are what this expects. */
  boolean matches(java.util.List<Observed> ends);

  /** Exactly one result with this status and reason, its message containing a fragment. */
  record Result(ResultStatus status, ReasonCode reason, String messageContains)
      implements Expected {
    @Override
    public String describe() {
      return status
          + (reason == null ? "" : " " + reason)
          + (messageContains == null ? "" : " (\"" + messageContains + "\")");
    }

    @Override
    public boolean matches(java.util.List<Observed> ends) {
      return ends.size() == 1
          && ends.getFirst() instanceof Observed.Result r
          && r.status() == status
          && (reason == null || r.reason() == reason)
          && (messageContains == null
              || (r.message() != null && r.message().contains(messageContains)));
    }
  }

  /** Exactly one DLQ record whose cause (exception and message headers) contains a fragment. */
  record DeadLetter(String causeContains) implements Expected {
    @Override
    public String describe() {
      return "DLQ (cause \"" + causeContains + "\")";
    }

    @Override
    public boolean matches(java.util.List<Observed> ends) {
      return ends.size() == 1
          && ends.getFirst() instanceof Observed.DeadLetter d
          && d.cause().contains(causeContains);
    }
  }

  /** Kafka itself refuses the record: the producer reports an error containing a fragment. */
  record ProducerRefused(String errorContains) implements Expected {
    @Override
    public String describe() {
      return "refused by Kafka (" + errorContains + ")";
    }

    @Override
    public boolean matches(java.util.List<Observed> ends) {
      return ends.size() == 1
          && ends.getFirst() instanceof Observed.ProducerError e
          && e.error().contains(errorContains);
    }
  }

  /** Nothing at all: no result, no usage, no dead letter (e.g. a forged outcome). */
  record Nothing(String why) implements Expected {
    @Override
    public String describe() {
      return "ignored: " + why;
    }

    @Override
    public boolean matches(java.util.List<Observed> ends) {
      return ends.isEmpty();
    }
  }
}
