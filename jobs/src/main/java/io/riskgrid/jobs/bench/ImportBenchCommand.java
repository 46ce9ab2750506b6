package io.riskgrid.jobs.bench;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.imports.BookFormat;
import io.riskgrid.jobs.imports.ImportBookJob;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid bench-import}: the import target of DESIGN §6 / issue 17, in one process. A generated
 * exchange's accounts, collateral, positions and instruments are written once as one CSV file each; then
 * the same files are (a) copied by plain Spark, CSV with a header to Delta, and (b) imported by
 * {@code import book} into a fresh warehouse, each {@code --repeat} times. Prints both medians and their
 * ratio against the 1.5× target.
 */
@Command(name = "bench-import", mixinStandardHelpOptions = true,
    description = "Times import book against a plain Spark CSV to Delta copy of the same files from a generated exchange.")
public final class ImportBenchCommand implements Callable<Integer> {
  static final double TARGET_RATIO = 1.5;

  @Mixin
  SparkOptions spark;

  @Option(names = "--accounts", defaultValue = "1000000", description = "Accounts to generate or reuse (default: ${DEFAULT-VALUE}).")
  long accounts;

  @Option(names = "--as-of", defaultValue = "2026-01-05", description = "Business date (default: ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(names = "--seed", defaultValue = "42", description = "Seed when the exchange is generated (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--repeat", defaultValue = "3", description = "Runs of each; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  /** The order of the lines in the CSV files. */
  enum Order {
    /** By account_id, as an export ordered by account is: the import reads such files by account range. */
    ACCOUNT,
    /** As the generated warehouse stores them, account blocks out of order: the import moves rows by one shuffle. */
    STORED
  }

  @Option(names = "--order", defaultValue = "account", converter = OrderConverter.class,
      description = "Line order of the CSV files: account (sorted by account_id) or stored (the warehouse's file"
          + " order, which the import must shuffle) (default: ${DEFAULT-VALUE}).")
  Order order;

  /** Lower-case option values. */
  static final class OrderConverter implements picocli.CommandLine.ITypeConverter<Order> {
    @Override
    public Order convert(String value) {
      return Order.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  @Option(names = "--work", defaultValue = "riskgrid-import-bench", paramLabel = "DIR",
      description = "Folder for the CSV files, the copies and the import's warehouse (default: ${DEFAULT-VALUE}).")
  Path work;

  @Override
  public Integer call() throws Exception {
    if (accounts < 1 || repeat < 1) {
      System.err.println("bench-import: --accounts and --repeat must be >= 1");
      return 2;
    }
    SparkSession session = spark.session("riskgrid bench-import");
    Warehouse source = spark.warehouse(session);
    if (!source.exists(InputTables.ACCOUNTS) || source.read(InputTables.ACCOUNTS, asOf).count() != accounts) {
      System.out.printf("generating %,d accounts for %s%n", accounts, asOf);
      GenerateJob.run(session, source, asOf, accounts, seed, PolicyLoader.load("deribit-like"), SimdKernel.INSTANCE);
    }
    Map<String, String> csv = new LinkedHashMap<>();
    for (Table t : List.of(InputTables.ACCOUNTS, InputTables.COLLATERAL, InputTables.POSITIONS)) {
      Dataset<Row> rows = source.read(t, asOf).drop("as_of_date");
      // A range-partitioned sort, then its partitions joined in order: one file in account_id order.
      csv.put(t.name(), export(session, order == Order.ACCOUNT ? rows.orderBy("account_id") : rows, t.name()));
    }
    csv.put("instruments", export(session, source.read(InputTables.INSTRUMENTS), "instruments"));
    long positions = source.read(InputTables.POSITIONS, asOf).count();
    System.out.printf("CSV files of %,d accounts and %,d positions in %s, lines in %s order%n", accounts, positions,
        work.resolve("csv"), order.name().toLowerCase(java.util.Locale.ROOT));

    List<Double> copy = new ArrayList<>();
    List<Double> imported = new ArrayList<>();
    for (int run = 0; run < repeat; run++) {
      long t = System.nanoTime();
      for (String table : List.of("accounts", "collateral", "positions")) {
        session.read().option("header", "true").csv(csv.get(table)).write().format("delta").mode(SaveMode.Overwrite)
            .save(work.resolve("copy").resolve(table).toAbsolutePath().toString());
      }
      copy.add((System.nanoTime() - t) / 1e9);
      Warehouse target = Warehouse.at(session, work.resolve("warehouse").toString());
      t = System.nanoTime();
      ImportBookJob.Result r = ImportBookJob.run(session, target, asOf, new ImportBookJob.Files(BookFormat.CSV,
          csv.get("accounts"), csv.get("collateral"), csv.get("positions"), csv.get("instruments")));
      imported.add((System.nanoTime() - t) / 1e9);
      long rejected = r.counts().values().stream().mapToLong(ImportBookJob.TableCounts::rejected).sum();
      System.out.printf("run %d: plain copy %.1f s, import book %.1f s (%,d rows rejected; read %s)%n", run + 1,
          copy.get(run), imported.get(run), rejected, r.readPath());
    }
    double c = median(copy);
    double i = median(imported);
    System.out.printf("median of %d: plain Spark CSV -> Delta copy %.1f s, import book %.1f s, ratio %.2f (target <= %.1f): %s%n",
        repeat, c, i, i / c, TARGET_RATIO, i / c <= TARGET_RATIO ? "met" : "NOT met");
    return 0;
  }

  /** {@code rows} as one CSV file with a header, {@code <work>/csv/<name>.csv}; returns its path. */
  private String export(SparkSession session, Dataset<Row> rows, String name) {
    Path folder = work.resolve("csv").resolve(name + ".parts").toAbsolutePath();
    rows.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true")
        .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ssXXX").csv(folder.toString());
    Path file = work.resolve("csv").resolve(name + ".csv").toAbsolutePath();
    try (var parts = Files.list(folder)) {
      Path part = parts.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst()
          .orElseThrow(() -> new IllegalStateException("Spark wrote no CSV part file in " + folder));
      Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
