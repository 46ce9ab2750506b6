package io.riskgrid.jobs.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code riskgrid sql "<query>"}: Spark SQL over the warehouse tables, each registered under its name. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Run a Spark SQL query over the warehouse tables, registered by name "
        + "(margins, positions, runs, ...), and print the result as a table, CSV or JSON Lines. Read only: queries, "
        + "SHOW, DESCRIBE, EXPLAIN and SET; statements that would write are refused.",
        "Example: riskgrid sql \"SELECT status, count(*) FROM margins GROUP BY status\"",
        "For programs: riskgrid sql --format csv \"SELECT * FROM stress_results\" > stress.csv"},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the query ran", "1:the query failed or would write (the error says why)",
        "2:bad command-line usage"})
public final class SqlCommand implements Callable<Integer> {

  @Mixin
  SparkOptions spark;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query, quoted as one argument.")
  String query;

  @Option(names = "--limit", paramLabel = "N",
      description = "Print at most N rows (default: 100 for --format table, every row for csv and json).")
  Long limit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      converter = FormatConverter.class,
      description = "table (aligned, for people), csv (RFC 4180 with a header; null is an empty field) or json "
          + "(JSON Lines, one object per row with typed values) (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (limit != null && limit < 0) {
      spec.commandLine().getErr().println("riskgrid sql: --limit must be >= 0, got " + limit);
      return 2;
    }
    long rows = limit != null ? limit : format == ResultFormat.TABLE ? 100 : -1;
    SparkSession session = spark.session("riskgrid sql");
    Warehouse warehouse = spark.warehouse(session);
    List<String> views = warehouse.registerViews();
    PrintWriter out = spec.commandLine().getOut();
    try {
      Optional<String> write = ReadOnlySql.firstWrite(session.sessionState().sqlParser().parsePlan(query));
      if (write.isPresent()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("riskgrid sql only reads the warehouse, and this statement (" + write.get()
            + ") would change it. The tables are written by the riskgrid commands that own them.");
        err.flush();
        return 1;
      }
      Dataset<Row> result = session.sql(query);
      format.print(result, rows, out);
      return 0;
    } catch (Exception e) { // Spark's analysis, parse and execution errors alike
      PrintWriter err = spec.commandLine().getErr();
      err.println("riskgrid sql: the query failed: " + messageOf(e));
      err.println("Tables in " + warehouse.location() + ": "
          + (views.isEmpty() ? "none yet (run a command that writes them, or check --warehouse)"
              : String.join(", ", views)));
      err.flush();
      return 1;
    }
  }

  /** {@code --format} in any case: table, csv or json; the error lists them. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ResultFormat> {
    @Override
    public ResultFormat convert(String value) {
      for (ResultFormat f : ResultFormat.values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("unknown format '" + value + "': use table, csv or json");
    }
  }

  /** Spark's own message, without the logical plan an analysis error appends. */
  private static String messageOf(Exception e) {
    if (e instanceof AnalysisException) {
      return ((AnalysisException) e).getSimpleMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
