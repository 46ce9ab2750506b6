package io.riskgrid.jobs.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What this riskgrid was built from, as Maven wrote it into the jar (see jobs/pom.xml): the project
 * version, and the git commit, "unknown" when the build ran outside a git checkout. {@code runs}
 * records it as {@code code_version}; {@code riskgrid --version} prints it.
 */
public final class BuildInfo {
  static final String UNKNOWN = "unknown";
  /** An abbreviated commit id, ".dirty" when tracked files had uncommitted changes. */
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}(\\.dirty)?");

  private static final String VERSION = version(read("build.properties"));
  private static final String COMMIT_ID = commit(read("git-commit.txt"));

  private BuildInfo() {}

  /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  /** The abbreviated commit, with {@code .dirty} when the tree had changes, or {@code unknown}. */
  public static String commit() {
    return COMMIT_ID;
  }

  /** {@code version+commit}, e.g. {@code 0.1.0-SNAPSHOT+6afa4ab} or {@code 0.1.0-SNAPSHOT+6afa4ab.dirty}. */
  public static String codeVersion() {
    return VERSION + "+" + COMMIT_ID;
  }

  static String version(String buildProperties) {
    if (buildProperties == null) {
      return UNKNOWN;
    }
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(buildProperties));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version", "").trim();
    return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
  }

  /** The commit in {@code git describe}'s output; anything else (an error message, nothing) is unknown. */
  static String commit(String describeOutput) {
    String text = describeOutput == null ? "" : describeOutput.trim();
    return COMMIT.matcher(text).matches() ? text : UNKNOWN;
  }

  /** A resource next to this class, or null when the build did not write it. */
  private static String read(String name) {
    try (InputStream in = BuildInfo.class.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + " from the riskgrid jar", e);
    }
  }
}
