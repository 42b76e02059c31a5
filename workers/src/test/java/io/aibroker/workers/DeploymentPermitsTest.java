package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeploymentPermitsTest {

  @Test
  void grantsUpToTheLimitThenQueuesFirstComeFirstServed() {
    var permits = new DeploymentPermits(2);
    CompletableFuture<Void> a = permits.acquire();
    CompletableFuture<Void> b = permits.acquire();
    CompletableFuture<Void> c = permits.acquire();
    CompletableFuture<Void> d = permits.acquire();

    assertThat(a).isCompleted();
    assertThat(b).isCompleted();
    assertThat(c).isNotDone();
    assertThat(d).isNotDone();

    permits.release();
    assertThat(c).isCompleted();
    assertThat(d).isNotDone();
    assertThat(permits.inUse()).isEqualTo(2);
  }

  @Test
  void cancelledWaitersAreSkipped() {
    var permits = new DeploymentPermits(1);
    permits.acquire();
    CompletableFuture<Void> gaveUp = permits.acquire();
    CompletableFuture<Void> next = permits.acquire();
    gaveUp.cancel(false);

    permits.release();

    assertThat(next).isCompleted();
    assertThat(permits.waiting()).isZero();
    permits.release();
    assertThat(permits.inUse()).isZero();
  }
}
