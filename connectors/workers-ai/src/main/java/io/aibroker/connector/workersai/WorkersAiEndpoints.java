package io.aibroker.connector.workersai;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a model is called: {@code {base}/accounts/{account}/ai/run/{model}} on the REST API, or
 * {@code {base}/{model}} through an AI Gateway URL. Model ids keep their slashes ({@code
 * @cf/meta/llama-3.1-8b-instruct}), as Cloudflare expects them as path segments.
 */
final class WorkersAiEndpoints {

  /** Characters Cloudflare model ids use; anything else could rewrite the path. */
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9@._:+-]+(/[A-Za-z0-9@._:+-]+)*");

  private final WorkersAiConfig config;

  WorkersAiEndpoints(WorkersAiConfig config) {
    this.config = config;
  }

  /**
   * The URL to POST a call for {@code model} to.
   *
   * @throws IllegalArgumentException if the model id is not a plausible Cloudflare model id
   */
  URI run(String model) {
    if (!MODEL.matcher(model).matches() || hasDotSegment(model)) {
      throw new IllegalArgumentException("not a Workers AI model id: '" + model + "'");
    }
    String base = config.baseUrl().toString();
    return URI.create(
        config.gateway()
            ? base + "/" + model
            : base + "/accounts/" + config.accountId() + "/ai/run/" + model);
  }

  /**
   * The URL to POST an async batch job for {@code model} to, and to poll it at: the run URL with
   * {@code ?queueRequest=true}.
   *
   * @throws IllegalArgumentException if the model id is not a plausible Cloudflare model id
   */
  URI queue(String model) {
    return URI.create(run(model) + "?queueRequest=true");
  }

  private static boolean hasDotSegment(String model) {
    for (String segment : model.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
