package io.riskgrid.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) as a test instrument: loads a local page, and returns the DOM
 * it rendered, the console messages it logged (script errors among them), and a screenshot.
 */
final class Chromium {
  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /** The first of chromium, chromium-browser, google-chrome on the PATH, if any. */
  static Optional<Chromium> onPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(new Chromium(candidate));
        }
      }
    }
    return Optional.empty();
  }

  /** What the browser made of a page. */
  record Rendering(String dom, List<String> consoleMessages, Path screenshot) {}

  /** Loads {@code page}, dumps its DOM and console, and saves a {@code width} × {@code height} screenshot. */
  Rendering render(Path page, Path screenshot, int width, int height) throws IOException, InterruptedException {
    String url = page.toUri().toString();
    Run dom = run(List.of("--dump-dom", url));
    run(List.of("--screenshot=" + screenshot, "--window-size=" + width + "," + height, "--hide-scrollbars", url));
    List<String> console = new ArrayList<>();
    for (String line : dom.stderr().split("\n")) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    return new Rendering(dom.stdout(), console, screenshot);
  }

  private record Run(String stdout, String stderr) {}

  private Run run(List<String> args) throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("riskgrid-chromium");
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
          "--user-data-dir=" + scratch.resolve("profile")));
      command.addAll(args);
      Path out = scratch.resolve("stdout");
      Path err = scratch.resolve("stderr");
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("chromium did not finish within 120 s: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("chromium exited with " + process.exitValue() + ": "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      try (var paths = Files.walk(scratch)) { // the profile chromium wrote, deepest first
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException stillInUse) {
        // Best effort: a helper process may still hold the profile; a leftover temp folder is harmless.
      }
    }
  }
}
