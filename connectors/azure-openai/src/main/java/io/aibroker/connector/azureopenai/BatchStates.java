package io.aibroker.connector.azureopenai;

import io.aibroker.connector.batch.BatchJobStatus;
import java.util.Locale;
import java.util.Optional;

/**
 * Azure's batch states ({@code validating}, {@code in_progress}, {@code finalizing}, {@code
 * cancelling}, {@code completed}, {@code failed}, {@code expired}, {@code cancelled}) as the ends
 * of {@link BatchJobStatus}. Azure's docs show some capitalised ({@code Validating}), so the case
 * is ignored.
 */
final class BatchStates {

  private BatchStates() {}

  /**
   * How a job in {@code state} ended; empty while it runs. A state this connector does not know is
   * taken as running: a newer Azure state is far likelier an intermediate one, and the worker
   * bounds how long it polls a job.
   */
  static Optional<BatchJobStatus.End> end(String state) {
    if (state == null) {
      return Optional.empty();
    }
    return switch (state.trim().toLowerCase(Locale.ROOT)) {
      case "completed" -> Optional.of(BatchJobStatus.End.COMPLETED);
      case "failed" -> Optional.of(BatchJobStatus.End.FAILED);
      case "expired" -> Optional.of(BatchJobStatus.End.EXPIRED);
      case "cancelled", "canceled" -> Optional.of(BatchJobStatus.End.CANCELLED);
      default -> Optional.empty();
    };
  }
}
