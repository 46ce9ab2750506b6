package io.riskgrid.jobs.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
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

  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "The SQL query, quoted as one argument.")
  String query;

  @Option(names = "--limit", paramLabel = "N",
      description = "Print at most N rows (default: 100 for --format table, every row for csv and json).")
  Long limit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      converter = FormatConverter.class,
      description = "table (aligned, for people), csv (RFC 4180 with a header; null is an empty field) or json "
          + "(JSON Lines, one object per row with typed values) (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Option(names = "--batch",
      description = "Instead of QUERY: read queries from standard input, one JSON string per line, and answer each "
          + "with one JSON line, {\"file\": F} (the result, in --format, in a new temporary file F that the caller "
          + "deletes) or {\"error\": E}. One Spark session serves every query: what the notebooks use.")
  boolean batch;

  @Spec
  CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (limit != null && limit < 0) {
      err.println("riskgrid sql: --limit must be >= 0, got " + limit);
      return 2;
    }
    if ((query == null) == !batch) {
      err.println(batch ? "riskgrid sql: give QUERY or --batch, not both"
          : "riskgrid sql: Missing required parameter: 'QUERY' (or --batch to read queries from standard input)");
      return 2;
    }
    long rows = limit != null ? limit : format == ResultFormat.TABLE ? 100 : -1;
    SparkSession session = spark.session("riskgrid sql");
    Warehouse warehouse = spark.warehouse(session);
    List<String> views = warehouse.registerViews();
    PrintWriter out = spec.commandLine().getOut();
    if (batch) {
      return answerEach(session, warehouse, views, rows, out);
    }
    Optional<String> failure = run(session, query, rows, out);
    failure.ifPresent(message -> {
      err.println(message.startsWith("riskgrid sql only reads") ? message
          : message + System.lineSeparator() + tables(warehouse, views));
      err.flush();
    });
    return failure.isPresent() ? 1 : 0;
  }

  /** The batch loop: a query per line in, a JSON answer per line out, until standard input ends. */
  private int answerEach(SparkSession session, Warehouse warehouse, List<String> views, long rows, PrintWriter out)
      throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode answer = JSON.createObjectNode();
      String batchQuery;
      try {
        batchQuery = JSON.readValue(line, String.class);
      } catch (IOException notAString) {
        answer.put("error", "riskgrid sql --batch: each line must be one query as a JSON string, got: " + line);
        out.println(JSON.writeValueAsString(answer));
        out.flush();
        continue;
      }
      Path file = Files.createTempFile("riskgrid-sql-", "." + format.name().toLowerCase(java.util.Locale.ROOT));
      Optional<String> failure;
      try (PrintWriter result = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
        failure = run(session, batchQuery, rows, result);
      }
      if (failure.isPresent()) {
        Files.delete(file);
        answer.put("error", failure.get() + " " + tables(warehouse, views));
      } else {
        answer.put("file", file.toString());
      }
      out.println(JSON.writeValueAsString(answer));
      out.flush();
    }
    return 0;
  }

  /** Runs one read-only statement into {@code out}; the reason it did not run, if it did not. */
  private static Optional<String> run(SparkSession session, String statement, long rows, PrintWriter out,
      ResultFormat format) {
    try {
      Optional<String> write = ReadOnlySql.firstWrite(session.sessionState().sqlParser().parsePlan(statement));
      if (write.isPresent()) {
        return Optional.of("riskgrid sql only reads the warehouse, and this statement (" + write.get()
            + ") would change it. The tables are written by the riskgrid commands that own them.");
      }
      format.print(session.sql(statement), rows, out);
      return Optional.empty();
    } catch (Exception e) { // Spark's analysis, parse and execution errors alike
      return Optional.of("riskgrid sql: the query failed: " + messageOf(e));
    }
  }

  private Optional<String> run(SparkSession session, String statement, long rows, PrintWriter out) {
    return run(session, statement, rows, out, format);
  }

  private static String tables(Warehouse warehouse, List<String> views) {
    return "Tables in " + warehouse.location() + ": "
        + (views.isEmpty() ? "none yet (run a command that writes them, or check --warehouse)" : String.join(", ", views));
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
