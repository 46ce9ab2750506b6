package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The version and commit Maven writes into the build, and what a build outside git says instead. */
class BuildInfoTest {

  @Test
  void theVersionIsTheProjectsAndTheCodeVersionAddsTheCommit() {
    assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), BuildInfo.version());
    assertEquals(BuildInfo.version() + "+" + BuildInfo.commit(), BuildInfo.codeVersion());
  }

  @Test
  void builtFromAGitCheckoutTheCommitIsHeads() throws IOException, InterruptedException {
    assumeTrue(Files.exists(Path.of("..", ".git")), "not built from a git checkout");
    String commit = BuildInfo.commit();
    assertTrue(commit.matches("[0-9a-f]{7,40}(\\.dirty)?"), commit);
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assumeTrue(git.waitFor() == 0, "git rev-parse failed: " + head);
    assertTrue(head.startsWith(commit.replace(".dirty", "")), commit + " is not HEAD " + head);
  }

  @Test
  void outsideAGitCheckoutTheCommitIsUnknownNotAnErrorMessage() {
    assertEquals("unknown", BuildInfo.commit(null));
    assertEquals("unknown", BuildInfo.commit("fatal: not a git repository (or any of the parent directories): .git\n"));
    assertEquals("unknown", BuildInfo.commit(""));
    assertEquals("6afa4ab", BuildInfo.commit("6afa4ab\n"));
    assertEquals("6afa4ab.dirty", BuildInfo.commit("6afa4ab.dirty\n"));
    assertEquals("unknown", BuildInfo.version(null));
    assertEquals("unknown", BuildInfo.version("version=${project.version}\n"));
    assertEquals("0.1.0-SNAPSHOT", BuildInfo.version("# comment\nversion=0.1.0-SNAPSHOT\n"));
  }
}
