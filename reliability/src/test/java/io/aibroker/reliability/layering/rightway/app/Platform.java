package io.aibroker.reliability.layering.rightway.app;

import io.aibroker.reliability.layering.rightway.app.http.Handler;
import io.aibroker.reliability.layering.rightway.broker.Admission;

/** Fixture: the app's root uses the broker (below it) and its HTTP package. */
public final class Platform {
  final Admission admission = new Admission();
  final Handler handler = new Handler();
}
