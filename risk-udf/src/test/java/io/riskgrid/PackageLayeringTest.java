package io.riskgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package tree reads as the data flows (market → instrument → valuation → margin →
 * stress/whatif/backtest): a package imports only from packages upstream of it. Read from the
 * sources, so a violation names the file and the import.
 */
class PackageLayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/io/riskgrid");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.riskgrid\\.(\\w+)[.;]", Pattern.MULTILINE);

  /** What each package must never import. */
  private static final Map<String, List<String>> FORBIDDEN = Map.of(
      "market", List.of("valuation", "margin", "stress", "backtest", "whatif", "udf", "kernel"),
      "instrument", List.of("valuation", "margin", "stress", "backtest", "whatif", "udf", "kernel", "market"),
      "pricing", List.of("valuation", "margin", "stress", "backtest", "whatif", "udf", "kernel", "market"),
      "scenario", List.of("valuation", "margin", "stress", "backtest", "whatif", "udf", "kernel", "market"),
      "policy", List.of("valuation", "margin", "stress", "backtest", "whatif", "udf", "kernel", "market"),
      "kernel", List.of("valuation", "margin", "stress", "backtest", "whatif", "udf", "policy", "market"),
      // Valuation prices and knows no margin rule.
      "valuation", List.of("margin", "stress", "backtest", "whatif", "udf"),
      // Margin applies rules and never prices.
      "margin", List.of("pricing", "stress", "backtest", "whatif", "udf"));

  @Test
  void packagesImportOnlyUpstream() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
      try (Stream<Path> files = Files.walk(SOURCES.resolve(rule.getKey()))) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
          Matcher m = IMPORT.matcher(read(f));
          while (m.find()) {
            if (rule.getValue().contains(m.group(1))) {
              violations.add(SOURCES.relativize(f) + " imports io.riskgrid." + m.group(1));
            }
          }
        });
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void marginBuildsNoOptionCells() {
    // The kernel's option cells are stage 1's input: a rule that builds them would be pricing.
    try (Stream<Path> files = Files.walk(SOURCES.resolve("margin"))) {
      List<String> pricing = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> read(f).contains("OptionCells") || read(f).contains("black76("))
          .map(f -> SOURCES.relativize(f).toString()).toList();
      assertEquals(List.of(), pricing);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
