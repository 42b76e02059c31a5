package io.aibroker.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A publisher that keeps every item it was given and replays them, in order and as demanded, to
 * each subscriber, whenever it subscribed; then completes (or fails) every subscriber.
 */
final class ReplayPublisher<T> implements Flow.Publisher<T> {

  private final List<T> items = new ArrayList<>();
  private final List<Cursor> cursors = new ArrayList<>();
  private boolean done;
  private Throwable error;

  /** Adds an item; ignored once completed. */
  void publish(T item) {
    List<Cursor> toDrain;
    synchronized (this) {
      if (done) {
        return;
      }
      items.add(item);
      toDrain = List.copyOf(cursors);
    }
    toDrain.forEach(Cursor::drain);
  }

  /** Completes every subscriber once it has received all items. */
  void complete() {
    finish(null);
  }

  /** Fails every subscriber once it has received all items. */
  void fail(Throwable cause) {
    finish(cause);
  }

  private void finish(Throwable cause) {
    List<Cursor> toDrain;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      error = cause;
      toDrain = List.copyOf(cursors);
    }
    toDrain.forEach(Cursor::drain);
  }

  synchronized boolean isDone() {
    return done;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Cursor cursor = new Cursor(subscriber);
    synchronized (this) {
      cursors.add(cursor);
    }
    subscriber.onSubscribe(cursor);
    cursor.drain();
  }

  private final class Cursor implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private long demand;
    private int next;
    private boolean cancelled;
    private boolean terminated;
    private boolean draining;

    Cursor(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      synchronized (ReplayPublisher.this) {
        if (n <= 0) {
          cancelled = true;
          cursors.remove(this);
        } else {
          demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
      }
      if (n <= 0) {
        subscriber.onError(new IllegalArgumentException("request(n) needs n > 0, was " + n));
        return;
      }
      drain();
    }

    @Override
    public void cancel() {
      synchronized (ReplayPublisher.this) {
        cancelled = true;
        cursors.remove(this);
      }
    }

    /** Delivers what is due; one thread at a time, without holding the lock in callbacks. */
    void drain() {
      synchronized (ReplayPublisher.this) {
        if (draining) {
          return;
        }
        draining = true;
      }
      while (true) {
        T item = null;
        boolean terminate = false;
        Throwable failure = null;
        synchronized (ReplayPublisher.this) {
          if (cancelled || terminated) {
            draining = false;
            return;
          }
          if (demand > 0 && next < items.size()) {
            item = items.get(next++);
            demand--;
          } else if (done && next >= items.size()) {
            terminate = true;
            terminated = true;
            failure = error;
            cursors.remove(this);
          } else {
            draining = false;
            return;
          }
        }
        if (terminate) {
          if (failure == null) {
            subscriber.onComplete();
          } else {
            subscriber.onError(failure);
          }
          return;
        }
        subscriber.onNext(item);
      }
    }
  }
}
