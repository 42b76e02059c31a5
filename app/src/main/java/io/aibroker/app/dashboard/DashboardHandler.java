package io.aibroker.app.dashboard;

import io.aibroker.app.http.CallHandler;
import io.aibroker.app.http.HttpCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.server.Handler;

/**
 * Serves the dashboard under {@code /dashboard}: the page, its script and style, the Chart.js
 * bundle from its WebJar (the machines it runs on may be offline, so no CDN), and {@code
 * /dashboard/data}, the JSON the page polls. Only these paths exist: nothing else on the class path
 * can be fetched through it.
 */
public final class DashboardHandler extends CallHandler {

  /** The path the dashboard is served under. */
  public static final String PATH = "/dashboard";

  /** Where the page polls its data. */
  public static final String DATA_PATH = PATH + "/data";

  private static final String CHART_JS = "chart.js";
  private static final String PAGE_RESOURCES = "/io/aibroker/app/dashboard/";

  private final DashboardData data;
  private final Map<String, Asset> assets;

  /** A handler serving {@code data}. */
  public DashboardHandler(DashboardData data) {
    this.data = data;
    Asset page = pageAsset("dashboard.html", "text/html; charset=utf-8");
    this.assets =
        Map.of(
            PATH,
            page,
            PATH + "/",
            page,
            PATH + "/dashboard.js",
            pageAsset("dashboard.js", "text/javascript; charset=utf-8"),
            PATH + "/dashboard.css",
            pageAsset("dashboard.css", "text/css; charset=utf-8"),
            PATH + "/lib/chart.umd.min.js",
            new Asset(
                read(
                    "/META-INF/resources/webjars/"
                        + CHART_JS
                        + "/"
                        + webJarVersion(CHART_JS)
                        + "/dist/chart.umd.min.js"),
                "text/javascript; charset=utf-8"));
  }

  @Override
  protected void handle(HttpCall call) {
    String method = call.method();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      call.header("Allow", "GET, HEAD");
      send(call, 405, "text/plain; charset=utf-8", "method not allowed\n", "no-store");
      return;
    }
    String path = call.path();
    if (DATA_PATH.equals(path)) {
      send(call, 200, "application/json", data.json(), "no-store");
      return;
    }
    Asset asset = assets.get(path);
    if (asset == null) {
      send(call, 404, "text/plain; charset=utf-8", "not found\n", "no-store");
      return;
    }
    send(call, 200, asset.type(), asset.bytes(), "max-age=300");
  }

  /** A handler for {@code /} that redirects to the dashboard and knows no other path. */
  public static Handler rootRedirect() {
    return CallHandler.of(
        call -> {
          if ("/".equals(call.path())) {
            call.header("Location", PATH).sendEmpty(302);
          } else {
            send(call, 404, "text/plain; charset=utf-8", "not found\n", "no-store");
          }
        });
  }

  private static void send(
      HttpCall call, int status, String type, String body, String cacheControl) {
    send(call, status, type, body.getBytes(StandardCharsets.UTF_8), cacheControl);
  }

  private static void send(
      HttpCall call, int status, String type, byte[] body, String cacheControl) {
    call.header("Cache-Control", cacheControl)
        .header("X-Content-Type-Options", "nosniff")
        .send(status, type, body);
  }

  private static Asset pageAsset(String name, String type) {
    return new Asset(read(PAGE_RESOURCES + name), type);
  }

  /** The version of a WebJar on the class path, from the pom.properties Maven packs into it. */
  static String webJarVersion(String artifactId) {
    Properties pom = new Properties();
    String resource = "/META-INF/maven/org.webjars.npm/" + artifactId + "/pom.properties";
    try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("WebJar " + artifactId + " is not on the class path");
      }
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }

  private static byte[] read(String resource) {
    try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Asset(byte[] bytes, String type) {}
}
