package io.aibroker.connector.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The job bookkeeping every fake provider batch API shares: jobs created (and a log of every
 * create, to show a job was not submitted twice), their states as polls advance them, and the
 * scripted ways a job or a line can go wrong. Each provider's fake speaks its own wire format
 * around it (files and batches for Azure OpenAI, S3 and model invocation jobs for Bedrock, queued
 * requests for Workers AI) and answers each line it is told was answered as its real-time API
 * would.
 *
 * <p>Scripts apply to jobs created after they are set; thread-safe.
 */
public final class FakeBatchJobs {

  /** A job's state. */
  public enum State {
    /** Accepted and not ended. */
    RUNNING,
    /** Every line has a result (an answer or its own error). */
    COMPLETED,
    /** Failed as a whole; no line has a result. */
    FAILED,
    /** The window passed; only the first {@link #expireJobs} lines were answered. */
    EXPIRED,
    /** Cancelled; only lines answered before have results. */
    CANCELLED
  }

  /**
   * One input line.
   *
   * @param lineId the provider's line id as sent ({@code custom_id}, {@code recordId}, ...)
   * @param body the line's request body as sent, for {@link #failLinesContaining} to look at
   */
  public record Line(String lineId, String body) {

    /** Requires both. */
    public Line {
      Objects.requireNonNull(lineId, "lineId");
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * A scripted error of one line.
   *
   * @param httpStatus the status the provider reports for it
   * @param code the provider's error code
   * @param message the provider's message
   */
  public record LineError(int httpStatus, String code, String message) {}

  private record LineRule(String marker, LineError error) {}

  /** A job as the fake holds it. */
  public static final class Job {
    private final String id;
    private final String key;
    private final List<Line> lines;
    private final List<LineRule> lineRules;
    private final State end;
    private final String endMessage;
    private final int answeredBeforeEnd;
    private int pollsLeft;
    private State state = State.RUNNING;

    private Job(String id, String key, List<Line> lines, Script script) {
      this.id = id;
      this.key = key;
      this.lines = List.copyOf(lines);
      this.lineRules = List.copyOf(script.lineRules);
      this.end = script.end;
      this.endMessage = script.endMessage;
      this.answeredBeforeEnd = script.answeredBeforeEnd;
      this.pollsLeft = script.pollsUntilDone;
    }

    /** The fake's id of the job. */
    public String id() {
      return id;
    }

    /** The key the job was submitted under (idempotency token, metadata), or null. */
    public String key() {
      return key;
    }

    /** Its lines, in the order sent. */
    public List<Line> lines() {
      return lines;
    }

    /** Its state now. */
    public synchronized State state() {
      return state;
    }

    /** The provider's message for a job that did not complete; null otherwise. */
    public synchronized String message() {
      return state == State.RUNNING || state == State.COMPLETED ? null : endMessage;
    }

    /** The scripted error of a line, if it has one. */
    public Optional<LineError> lineError(Line line) {
      return lineRules.stream()
          .filter(rule -> line.body().contains(rule.marker()))
          .map(LineRule::error)
          .findFirst();
    }

    /**
     * Whether the line has a result now (an answer or its own error): every line of a completed
     * job; the first lines of an expired or cancelled one; none otherwise.
     */
    public synchronized boolean hasResult(Line line) {
      return switch (state) {
        case COMPLETED -> true;
        case EXPIRED, CANCELLED -> lines.indexOf(line) < answeredBeforeEnd;
        case RUNNING, FAILED -> false;
      };
    }

    /** The lines with a result now. */
    public synchronized List<Line> finishedLines() {
      return lines.stream().filter(this::hasResult).toList();
    }

    /** Counts a status query: the job ends once its scripted number of queries passed. */
    public synchronized State poll() {
      if (state == State.RUNNING && pollsLeft-- <= 0) {
        state = end;
      }
      return state;
    }

    /** Lets a running job end at its next status query. */
    public synchronized void completeAtNextPoll() {
      pollsLeft = 0;
    }

    /** Cancels a running job. */
    public synchronized void cancel() {
      if (state == State.RUNNING) {
        state = State.CANCELLED;
      }
    }
  }

  /** What jobs created from now on do. */
  private static final class Script {
    int pollsUntilDone;
    State end = State.COMPLETED;
    String endMessage;
    int answeredBeforeEnd;
    final List<LineRule> lineRules = new ArrayList<>();

    Script copy() {
      Script copy = new Script();
      copy.pollsUntilDone = pollsUntilDone;
      copy.end = end;
      copy.endMessage = endMessage;
      copy.answeredBeforeEnd = answeredBeforeEnd;
      copy.lineRules.addAll(lineRules);
      return copy;
    }
  }

  private final String idPrefix;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<String> createLog = new ArrayList<>();
  private Script script = new Script();

  /**
   * @param idPrefix how the fake's job ids start ({@code batch_}, an ARN prefix, ...)
   */
  public FakeBatchJobs(String idPrefix) {
    this.idPrefix = Objects.requireNonNull(idPrefix, "idPrefix");
  }

  /** Jobs created from now on stay running for {@code polls} status queries (slow completion). */
  public synchronized FakeBatchJobs completeAfterPolls(int polls) {
    script.pollsUntilDone = polls;
    return this;
  }

  /** Jobs created from now on fail as a whole with {@code message}. */
  public synchronized FakeBatchJobs failJobs(String message) {
    script.end = State.FAILED;
    script.endMessage = message;
    return this;
  }

  /**
   * Jobs created from now on expire with only their first {@code answeredLines} lines done, and
   * {@code message}.
   */
  public synchronized FakeBatchJobs expireJobs(int answeredLines, String message) {
    script.end = State.EXPIRED;
    script.endMessage = message;
    script.answeredBeforeEnd = answeredLines;
    return this;
  }

  /**
   * In jobs created from now on, lines whose body contains {@code marker} fail with {@code error}.
   */
  public synchronized FakeBatchJobs failLinesContaining(String marker, LineError error) {
    script.lineRules.add(new LineRule(marker, error));
    return this;
  }

  /** Jobs created from now on complete at their first status query, without errors. */
  public synchronized FakeBatchJobs reset() {
    script = new Script();
    return this;
  }

  /** Lets every running job end at its next status query (a slow job that finally finishes). */
  public synchronized FakeBatchJobs completeRunningJobs() {
    jobs.values().forEach(Job::completeAtNextPoll);
    return this;
  }

  /** Creates a job; every call counts as a create in {@link #creates()}. */
  public synchronized Job create(String key, List<Line> lines) {
    Job job = new Job(idPrefix + ids.incrementAndGet(), key, lines, script.copy());
    jobs.put(job.id(), job);
    createLog.add(key == null ? job.id() : key);
    return job;
  }

  /** The job with the fake's {@code id}. */
  public synchronized Optional<Job> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** The first job created under {@code key}. */
  public synchronized Optional<Job> byKey(String key) {
    return jobs.values().stream().filter(job -> Objects.equals(job.key(), key)).findFirst();
  }

  /** Every job, oldest first. */
  public synchronized List<Job> jobs() {
    return List.copyOf(jobs.values());
  }

  /** How many creates the fake received. */
  public synchronized int creates() {
    return createLog.size();
  }

  /** The key (or id, for keyless creates) of every create received, in order. */
  public synchronized List<String> createLog() {
    return List.copyOf(createLog);
  }

  /** How many creates each key received: more than one for a key is a job submitted twice. */
  public synchronized Map<String, Integer> createsPerKey() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    createLog.forEach(key -> counts.merge(key, 1, Integer::sum));
    return counts;
  }
}
