package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The cluster examples of {@code deploy/} against the code they run, as far as this machine allows
 * (no Kubernetes, no YARN here): every SparkApplication manifest parses, names riskgrid's main class and
 * the jar the Dockerfile installs, and its arguments parse as a riskgrid command line; the Delta version
 * named in the examples is the pom's; spark-defaults.conf is key-value lines of Spark settings (the
 * standalone cluster tests submit with it).
 */
class DeployExamplesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path DEPLOY = ROOT.resolve("deploy");

  private static String deltaVersion() throws IOException {
    Matcher m = Pattern.compile("<delta.version>([^<]+)</delta.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(m.find(), "the parent pom pins delta.version");
    return m.group(1);
  }

  @Test
  void everySparkApplicationRunsARiskgridCommandFromTheImagesJar() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("k8s/Dockerfile"));
    List<Path> manifests;
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
      manifests = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertEquals(3, manifests.size(), "margin, stress and backtest: " + manifests);
    for (Path manifest : manifests) {
      Map<String, Object> doc = new Yaml().load(Files.readString(manifest));
      assertEquals("sparkoperator.k8s.io/v1beta2", doc.get("apiVersion"), manifest.toString());
      assertEquals("SparkApplication", doc.get("kind"), manifest.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
      assertEquals("Java", spec.get("type"));
      assertEquals("cluster", spec.get("mode"));
      assertEquals(Riskgrid.class.getName(), spec.get("mainClass"), manifest.toString());
      String jar = ((String) spec.get("mainApplicationFile")).replace("local://", "");
      assertTrue(dockerfile.contains(" " + jar + "\n"), "the Dockerfile installs " + jar);
      @SuppressWarnings("unchecked")
      List<String> arguments = (List<String>) spec.get("arguments");
      // Parsing only: the options exist and take the values given (picocli throws otherwise).
      Riskgrid.commandLine().parseArgs(arguments.toArray(new String[0]));
      assertTrue(arguments.contains("--warehouse") && arguments.get(arguments.indexOf("--warehouse") + 1).startsWith("s3a://"),
          manifest + " keeps the warehouse on an object store");
      @SuppressWarnings("unchecked")
      Map<String, Object> conf = (Map<String, Object>) spec.get("sparkConf");
      assertTrue(String.valueOf(conf.get("spark.executor.extraJavaOptions")).contains("jdk.incubator.vector"));
    }
  }

  @Test
  void theYarnExampleSubmitsTheMarginCommandWithThePinnedDelta() throws IOException {
    String script = Files.readString(DEPLOY.resolve("yarn/submit-margin.sh"));
    assertTrue(script.contains("--master yarn --deploy-mode cluster"));
    assertTrue(script.contains("--packages io.delta:delta-spark_2.13:" + deltaVersion()), "the pom's Delta version");
    assertTrue(script.contains("--class " + Riskgrid.class.getName()));
    assertTrue(Files.isExecutable(DEPLOY.resolve("yarn/submit-margin.sh")));
    Riskgrid.commandLine().parseArgs("margin", "--as-of", "2026-01-05", "--policy", "deribit-like", "--warehouse",
        "hdfs:///riskgrid/warehouse");
  }

  @Test
  void sparkDefaultsAreSparkSettingsAndNameThePinnedDelta() throws IOException {
    String text = Files.readString(DEPLOY.resolve("conf/spark-defaults.conf"));
    assertTrue(text.contains("--packages io.delta:delta-spark_2.13:" + deltaVersion()));
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> bad = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.trim().split("\\s+", 2);
      if (kv.length != 2 || !kv[0].startsWith("spark.")) {
        bad.add(line);
      } else {
        settings.put(kv[0], kv[1]);
      }
    }
    assertEquals(List.of(), bad, "lines that are not 'spark.key value'");
    assertFalse(settings.isEmpty());
    assertTrue(settings.get("spark.executor.extraJavaOptions").contains("--add-modules=jdk.incubator.vector"));
    assertTrue(Files.readString(DEPLOY.resolve("cluster/lib.sh")).contains("deploy/conf/spark-defaults.conf"),
        "the standalone cluster submits with the file");
  }
}
