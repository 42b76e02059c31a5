package io.aibroker.client;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultChunk;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A streaming request in progress: its partial output as it is produced, and its final result.
 *
 * <p>{@link #chunks()} emits the request's {@link ResultChunk}s in order (each chunk once, even if
 * a worker wrote it twice) and completes after the final result arrived and every chunk written
 * before it was delivered; it fails if the result future fails (e.g. on timeout). After a provider
 * failover the chunks of the new attempt (a higher {@code attempt}, {@code sequence} from 0) follow
 * those of the failed one: a consumer that renders text should start over when {@code attempt}
 * changes. The publisher replays from the first chunk to every subscriber, whenever it subscribes.
 *
 * @param chunks the partial output
 * @param result the final result, as from {@link AiBrokerClient#submit}
 */
public record StreamingResponse(
    Flow.Publisher<ResultChunk> chunks, CompletableFuture<InferenceResult> result) {}
