package io.aibroker.reliability.layering;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which module a class was loaded from: the artifact of its jar ({@code aibroker-broker-0.1.0.jar},
 * or {@code aibroker-app.jar} in the reactor), or of the Maven module whose {@code target/classes}
 * or {@code target/test-classes} holds it (read from that module's pom.xml).
 */
final class ModuleLocations {

  private static final Pattern JAR = Pattern.compile("(aibroker-[a-z-]+?)(-\\d[^/]*)?\\.jar");
  private static final Pattern CLASSES_DIR = Pattern.compile("^(.*)/target/(test-)?classes/");
  private static final Pattern PARENT = Pattern.compile("(?s)<parent>.*?</parent>");
  private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");
  private static final Map<Path, String> ARTIFACTS = new ConcurrentHashMap<>();

  private ModuleLocations() {}

  /** The artifact the class was loaded from, or where it was loaded from if not ours. */
  static String artifactOf(JavaClass javaClass) {
    return javaClass.getSource().map(source -> artifactOf(source.getUri())).orElse("(unknown)");
  }

  static String artifactOf(URI uri) {
    String location = uri.toString();
    int inJar = location.indexOf("!/");
    if (location.startsWith("jar:") && inJar > 0) {
      String jar = location.substring(location.lastIndexOf('/', inJar) + 1, inJar);
      Matcher matcher = JAR.matcher(jar);
      return matcher.matches() ? matcher.group(1) : jar;
    }
    Matcher matcher = CLASSES_DIR.matcher(location);
    if (matcher.find()) {
      Path module = Path.of(URI.create(matcher.group(1)));
      String artifact = ARTIFACTS.computeIfAbsent(module, ModuleLocations::artifactIdOf);
      return matcher.group(2) == null ? artifact : artifact + " (test classes)";
    }
    return location;
  }

  /** The artifactId of the Maven module in {@code dir}. */
  static String artifactIdOf(Path dir) {
    try {
      String pom = PARENT.matcher(Files.readString(dir.resolve("pom.xml"))).replaceFirst("");
      Matcher matcher = ARTIFACT_ID.matcher(pom);
      if (!matcher.find()) {
        throw new IllegalStateException("no artifactId in " + dir.resolve("pom.xml"));
      }
      return matcher.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Leaves out the connectors' test jars (their fake servers are test code). */
  static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }
}
