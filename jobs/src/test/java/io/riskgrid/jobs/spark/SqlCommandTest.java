package io.riskgrid.jobs.spark;

import static io.riskgrid.schemas.OutputTables.MARGINS;
import static io.riskgrid.schemas.OutputTables.REJECTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.Riskgrid;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code riskgrid sql} over a small real warehouse, through the real command line. */
class SqlCommandTest {

  private static final LocalDate JAN_5 = LocalDate.of(2026, 1, 5);

  @TempDir
  static Path folder;

  private static SparkSession spark;
  private static String warehouse;

  /** One command's exit code and what it printed. */
  private static final class Result {
    final int exit;
    final String out;
    final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }
  }

  @BeforeAll
  static void writeAWarehouse() {
    spark = LocalSpark.start();
    warehouse = folder.resolve("warehouse").toString();
    Warehouse tables = Warehouse.at(spark, warehouse);
    Row btc = RowFactory.create("BTC", 9000.0, "p-15_v+0", 0.0, 360.0, 0.0, 9360.0, 1.0, 0.0, 0.0, 0.0,
        List.of(RowFactory.create("BTC-PERPETUAL", 9360.0)));
    List<Row> accounts = List.of(
        RowFactory.create(Date.valueOf(JAN_5), "run-1", "seed-default", "h1", "acct-1", null, "PORTFOLIO", "USD", "OK", null,
            60000.0, 12168.0, 9360.0, 12168.0, 9360.0, 1200.0, 600.0, -9.14, 0.84, null, List.of(btc)),
        RowFactory.create(Date.valueOf(JAN_5), "run-1", "seed-default", "h1", "acct-2", "acct-1", "PORTFOLIO", "USD", "REJECTED",
            "instrument X has kind SWAP", null, null, null, null, null, null, null, null, null, null, List.of()));
    tables.replaceSlice(spark.createDataFrame(accounts, MARGINS.schema()), MARGINS, JAN_5);
    tables.replaceSlice(spark.createDataFrame(List.of(RowFactory.create(Date.valueOf(JAN_5), "run-1", "instruments",
        "X", "unknown kind SWAP: use FUTURE, PERPETUAL or OPTION")), REJECTS.schema()), REJECTS, JAN_5);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static Result riskgrid(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void aQueryOverTablesByNamePrintsAReadableTable() {
    Result result = riskgrid("sql", "--warehouse", warehouse,
        "SELECT m.account_id, m.status, m.im, r.reason FROM margins m "
            + "LEFT JOIN rejects r ON m.status = 'REJECTED' ORDER BY m.account_id");
    assertEquals(0, result.exit, result.err);
    assertEquals(String.join("\n",
        "account_id | status   | im      | reason",
        "-----------+----------+---------+-" + "-".repeat("unknown kind SWAP: use FUTURE, PERPETUAL or OPTION".length()),
        "acct-1     | OK       | 12168.0 | NULL",
        "acct-2     | REJECTED |    NULL | unknown kind SWAP: use FUTURE, PERPETUAL or OPTION",
        "(2 rows)", ""), result.out);
  }

  @Test
  void csvQuotesWhatNeedsQuotingAndTellsNullFromEmpty() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT m.account_id, m.im, r.reason, '' AS empty, 'say \"hi\", twice' AS quoted FROM margins m "
            + "LEFT JOIN rejects r ON m.status = 'REJECTED' ORDER BY m.account_id");
    assertEquals(0, result.exit, result.err);
    assertEquals("account_id,im,reason,empty,quoted\r\n"
        + "acct-1,12168.0,,\"\",\"say \"\"hi\"\", twice\"\r\n"
        + "acct-2,,\"unknown kind SWAP: use FUTURE, PERPETUAL or OPTION\",\"\",\"say \"\"hi\"\", twice\"\r\n",
        result.out);
  }

  @Test
  void csvAndJsonPrintEveryRowUnlessLimited() {
    Result csv = riskgrid("sql", "--warehouse", warehouse, "--format", "CSV",
        "SELECT id FROM range(250) ORDER BY id");
    assertEquals(0, csv.exit, csv.err);
    assertEquals(251, csv.out.split("\r\n").length);
    Result json = riskgrid("sql", "--warehouse", warehouse, "--format", "json", "--limit", "3",
        "SELECT id FROM range(250) ORDER BY id");
    assertEquals("{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n", json.out);
  }

  @Test
  void jsonLinesKeepTypesNullsAndNesting() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "--format", "json",
        "SELECT account_id, im, parent_id, get(by_underlying, 0).underlying AS u, "
            + "get(get(by_underlying, 0).contributions, 0) AS top FROM margins ORDER BY account_id");
    assertEquals(0, result.exit, result.err);
    assertEquals("{\"account_id\":\"acct-1\",\"im\":12168.0,\"parent_id\":null,\"u\":\"BTC\","
        + "\"top\":{\"source\":\"BTC-PERPETUAL\",\"contribution\":9360.0}}\n"
        + "{\"account_id\":\"acct-2\",\"im\":null,\"parent_id\":\"acct-1\",\"u\":null,\"top\":null}\n",
        result.out);
  }

  @Test
  void batchAnswersEveryQueryOfOneSessionWithAFileOrAnError() throws Exception {
    java.io.InputStream stdin = System.in;
    Result result;
    try {
      System.setIn(new java.io.ByteArrayInputStream(("\"SELECT account_id FROM margins ORDER BY account_id\"\n"
          + "\n\"SELECT * FROM nope\"\nnot json\n\"DELETE FROM rejects\"\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      result = riskgrid("sql", "--warehouse", warehouse, "--format", "csv", "--batch");
    } finally {
      System.setIn(stdin);
    }
    assertEquals(0, result.exit, result.err);
    String[] answers = result.out.split("\n");
    assertEquals(4, answers.length, result.out);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Path file = Path.of(json.readTree(answers[0]).get("file").asText());
    assertEquals("account_id\r\nacct-1\r\nacct-2\r\n", java.nio.file.Files.readString(file));
    java.nio.file.Files.delete(file);
    assertTrue(json.readTree(answers[1]).get("error").asText().startsWith(
        "riskgrid sql: the query failed: [TABLE_OR_VIEW_NOT_FOUND]"), answers[1]);
    assertTrue(json.readTree(answers[2]).get("error").asText().contains("one query as a JSON string, got: not json"));
    assertTrue(json.readTree(answers[3]).get("error").asText().startsWith("riskgrid sql only reads"), answers[3]);
  }

  @Test
  void anUnknownFormatIsAUsageErrorNamingTheFormats() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "--format", "xml", "SELECT 1");
    assertEquals(2, result.exit);
    assertTrue(result.err.contains("unknown format 'xml': use table, csv or json"), result.err);
  }

  @Test
  void nestedColumnsPrintAsJsonWithTheirFieldNames() {
    Result result = riskgrid("sql", "--warehouse", warehouse,
        "SELECT by_underlying FROM margins WHERE account_id = 'acct-1'");
    assertEquals(0, result.exit, result.err);
    assertTrue(result.out.contains("[{\"underlying\":\"BTC\",\"scan_loss\":9000.0,\"binding_scenario\":\"p-15_v+0\","),
        result.out);
  }

  @Test
  void limitCutsTheOutputAndSaysSo() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "--limit", "1",
        "SELECT account_id FROM margins ORDER BY account_id");
    assertEquals(0, result.exit, result.err);
    assertEquals("account_id\n----------\nacct-1\n(first 1 rows shown; use --limit N for more)\n", result.out);
  }

  @Test
  void anUnknownTableIsAClearErrorThatListsTheTables() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "SELECT * FROM margin");
    assertEquals(1, result.exit);
    assertTrue(result.err.startsWith("riskgrid sql: the query failed: [TABLE_OR_VIEW_NOT_FOUND]"), result.err);
    assertTrue(result.err.contains("Tables in file:" + folder.resolve("warehouse") + ": margins, rejects"),
        result.err);
    assertEquals("", result.out);
  }

  @Test
  void aSyntaxErrorIsAClearError() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "SELEC account_id FROM margins");
    assertEquals(1, result.exit);
    assertTrue(result.err.contains("PARSE_SYNTAX_ERROR"), result.err);
  }

  @Test
  void statementsThatWouldWriteAreRefusedAndWriteNothing() {
    for (String statement : List.of("DELETE FROM rejects", "UPDATE margins SET im = 0",
        "INSERT INTO rejects SELECT * FROM rejects", "DROP VIEW margins", "CREATE TABLE t (a INT) USING delta",
        "MERGE INTO rejects r USING rejects s ON r.key = s.key WHEN MATCHED THEN DELETE",
        "TRUNCATE TABLE rejects", "VACUUM rejects", "CACHE TABLE margins")) {
      Result result = riskgrid("sql", "--warehouse", warehouse, statement);
      assertEquals(1, result.exit, statement);
      assertTrue(result.err.startsWith("riskgrid sql only reads the warehouse"), statement + ": " + result.err);
    }
    Result count = riskgrid("sql", "--warehouse", warehouse, "SELECT count(*) AS n FROM rejects");
    assertEquals("n\n-\n1\n(1 row)\n", count.out);
  }

  @Test
  void showDescribeExplainAndCtesRead() {
    for (String statement : List.of("SHOW TABLES", "DESCRIBE margins", "EXPLAIN SELECT * FROM margins",
        "WITH r AS (SELECT * FROM rejects) SELECT count(*) FROM r",
        "DESCRIBE HISTORY delta.`" + folder.resolve("warehouse").resolve("rejects") + "`")) {
      Result result = riskgrid("sql", "--warehouse", warehouse, statement);
      assertEquals(0, result.exit, statement + ": " + result.err);
    }
    Result tables = riskgrid("sql", "--warehouse", warehouse, "SHOW TABLES");
    assertTrue(tables.out.contains("| margins "), tables.out);
  }

  @Test
  void anEmptyWarehouseSaysItIsEmpty() {
    Result result = riskgrid("sql", "--warehouse", folder.resolve("empty").toString(), "SELECT * FROM runs");
    assertEquals(1, result.exit);
    assertTrue(result.err.contains(": none yet"), result.err);
  }

  @Test
  void aMissingQueryIsAUsageError() {
    Result result = riskgrid("sql", "--warehouse", warehouse);
    assertEquals(2, result.exit);
    assertTrue(result.err.contains("Missing required parameter: 'QUERY'"), result.err);
  }

  @Test
  void confOptionsReachTheSession() {
    Result result = riskgrid("sql", "--warehouse", warehouse, "--conf", "spark.sql.shuffle.partitions=3",
        "SET spark.sql.shuffle.partitions");
    assertEquals(0, result.exit, result.err);
    assertTrue(result.out.contains("spark.sql.shuffle.partitions | 3"), result.out);
  }
}
