package io.aibroker.app.badinput;

import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;

/** One end a corpus record reached. */
sealed interface Observed {

  /** One line for the report table. */
  String describe();

  /** One table cell: one line, no pipes, at most 200 characters. */
  static String abbreviate(String text) {
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n").replace("|", "\\|");
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
  }

  /** A result on aibroker.results. */
  record Result(ResultStatus status, ReasonCode reason, String message) implements Observed {
    @Override
    public String describe() {
      return status
          + (reason == null ? "" : " " + reason)
          + (message == null ? "" : ": " + abbreviate(message));
    }
  }

  /** A record on aibroker.dlq; cause = exception class and message from its headers. */
  record DeadLetter(String cause) implements Observed {
    @Override
    public String describe() {
      return "DLQ " + abbreviate(cause);
    }
  }

  /** The producer could not write the record. */
  record ProducerError(String error) implements Observed {
    @Override
    public String describe() {
      return "refused: " + error;
    }
  }
}
