package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The app jar that {@code spark-submit} receives (DESIGN §5.1, issue #18): riskgrid's Jackson and
 * SnakeYAML are relocated under {@code io.riskgrid.shaded}, so a cluster's own versions of them, which
 * come first on its classpath, are never mixed with riskgrid's; SLF4J is left to the cluster. Checked
 * on the jar's entries, and by running {@code whatif} from the jar on a classpath with no Jackson or
 * SnakeYAML jar at all: its output equals the same command run from the build's unshaded classes.
 * Run by failsafe in {@code verify}, after {@code package} built the jar.
 */
class AppJarIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path APP_JAR = ROOT.resolve("jobs/target/riskgrid-jobs-0.1.0-SNAPSHOT-app.jar");
  private static final Path CLASSPATH = ROOT.resolve("jobs/target/launcher.classpath");
  private static final Path REQUEST = ROOT.resolve("deploy/examples/whatif/covered-call-coin.json");

  @Test
  void jacksonAndSnakeYamlAreRelocatedAndSlf4jIsLeftToTheCluster() throws IOException {
    assertTrue(Files.isRegularFile(APP_JAR), "no app jar at " + APP_JAR + ": run mvn verify, which packages first");
    try (JarFile jar = new JarFile(APP_JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      for (String clashing : List.of("com/fasterxml/jackson/", "org/yaml/snakeyaml/", "org/slf4j/")) {
        assertFalse(names.stream().anyMatch(n -> n.startsWith(clashing)), clashing + " is in the app jar unrelocated");
      }
      assertTrue(names.contains("io/riskgrid/shaded/com/fasterxml/jackson/databind/ObjectMapper.class"));
      assertTrue(names.contains("io/riskgrid/shaded/org/yaml/snakeyaml/Yaml.class"));
      assertTrue(names.contains("io/riskgrid/jobs/Riskgrid.class"));
    }
  }

  @Test
  void whatifFromTheJarNeedsNoJacksonOnTheClasspathAndAnswersAsTheBuild() throws Exception {
    List<String> dependencies = Arrays.asList(Files.readString(CLASSPATH, StandardCharsets.UTF_8).trim().split(File.pathSeparator));
    String withoutClashing = dependencies.stream().filter(p -> !p.contains("jackson") && !p.contains("snakeyaml"))
        .collect(Collectors.joining(File.pathSeparator));
    assertTrue(dependencies.stream().anyMatch(p -> p.contains("jackson-databind")), "the build's classpath has Jackson");
    String fromJar = whatif(APP_JAR + File.pathSeparator + withoutClashing);
    String fromBuild = whatif(ROOT.resolve("jobs/target/classes") + File.pathSeparator + String.join(File.pathSeparator,
        dependencies));
    assertTrue(fromJar.contains("\"status\" : \"OK\""), fromJar);
    assertEquals(fromBuild, fromJar);
  }

  /** {@code riskgrid whatif --in REQUEST} in its own JVM on {@code classpath}; its standard output. */
  private static String whatif(String classpath) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", classpath, "io.riskgrid.jobs.Riskgrid", "whatif", "--in",
        REQUEST.toString()));
    Path out = Files.createTempFile("riskgrid-appjar", ".json");
    Path err = Files.createTempFile("riskgrid-appjar", ".log");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "whatif did not finish in 2 minutes");
    assertEquals(0, p.exitValue(), Files.readString(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
