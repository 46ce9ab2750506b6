package io.riskgrid.jobs.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.riskgrid.jobs.spark.Concurrently;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.Position;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.internal.SQLConf;

/**
 * The accounts of one date with their positions and collateral, one {@link Item} per account, and one
 * per input row that belongs to no account (an orphan, which becomes a reject rather than vanishing).
 * Two ways to get there (DESIGN §4): a table laid out by account (see {@link ClusteredLayout}) is
 * merged file by file without a shuffle; any other layout is grouped with one shuffle.
 */
public final class AccountInputs {
  static final String ORPHAN_REASON = "account_id not in the accounts table for this date";

  private AccountInputs() {}

  /** An account with all its rows, or an input row of no account (then {@code account} is null). */
  public record Item(Account account, Issue orphan) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Item orphan(String table, String key) {
      return new Item(null, new Issue(AccountStatus.REJECTED, table, key, ORPHAN_REASON));
    }
  }

  /** The items of one date, and which grouping path produced them (recorded in {@code runs}). */
  public record Stream(JavaRDD<Item> items, String groupingPath, String shuffleReason) {
    /** The path as {@code runs.grouping_path} records it: {@code clustered}, or {@code shuffle: <why>}. */
    public String describe() {
      return groupingPath + (shuffleReason == null ? "" : ": " + shuffleReason);
    }
  }

  /** Rows grouped with a shuffle: one row per account (the schema {@link #toAccount} reads), and orphans. */
  public record Grouped(Dataset<Row> accounts, Dataset<Row> orphans) {}

  /** The no-shuffle path when the layout allows it, else the shuffle path with the reason. */
  public static Stream stream(Warehouse warehouse, LocalDate asOf) {
    ClusteredLayout.Plan plan = ClusteredLayout.plan(warehouse.spark(), warehouse, asOf);
    if (plan.clustered()) {
      return new Stream(clustered(warehouse.spark(), plan.units()), "clustered", null);
    }
    return shuffled(warehouse, asOf, plan.reason());
  }

  /** Always the shuffle path. */
  public static Stream shuffled(Warehouse warehouse, LocalDate asOf, String reason) {
    Grouped g = read(warehouse, asOf);
    JavaRDD<Item> accounts = g.accounts().javaRDD().map(r -> new Item(toAccount(r), null));
    JavaRDD<Item> orphans = g.orphans().javaRDD().map(r -> new Item(null, new Issue(AccountStatus.REJECTED,
        r.getString(0), r.getString(1), r.getString(2))));
    return new Stream(accounts.union(orphans), "shuffle", reason);
  }

  public static Grouped read(Warehouse warehouse, LocalDate asOf) {
    // One row per account_id: a repeated id is one account, REJECTED naming its rows (see duplicateReason).
    Dataset<Row> accounts = warehouse.read(InputTables.ACCOUNTS, asOf).drop("as_of_date").groupBy("account_id").agg(
        first("parent_id").as("parent_id"), first("margin_mode").as("margin_mode"),
        first("margin_currency").as("margin_currency"), collect_list(concat_ws("/", coalesce(col("parent_id"), lit("null")),
            coalesce(col("margin_mode"), lit("null")), coalesce(col("margin_currency"), lit("null")))).as("account_rows"));
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, asOf).drop("as_of_date");
    Dataset<Row> collateral = warehouse.read(InputTables.COLLATERAL, asOf).drop("as_of_date");
    Dataset<Row> groupedPositions = positions.groupBy("account_id")
        .agg(collect_list(struct(col("instrument_id"), col("quantity"), col("entry_price"))).as("positions"));
    Dataset<Row> groupedCollateral = collateral.groupBy("account_id")
        .agg(collect_list(struct(col("asset"), col("quantity"))).as("collateral"));
    Dataset<Row> joined = accounts
        .join(groupedPositions, accounts.col("account_id").equalTo(groupedPositions.col("account_id")), "left")
        .drop(groupedPositions.col("account_id"))
        .join(groupedCollateral, accounts.col("account_id").equalTo(groupedCollateral.col("account_id")), "left")
        .drop(groupedCollateral.col("account_id"));
    Dataset<Row> ids = accounts.select("account_id");
    Dataset<Row> orphanPositions = positions.join(ids, positions.col("account_id").equalTo(ids.col("account_id")), "left_anti")
        .select(lit("positions").as("source_table"), concat_ws("/", col("account_id"), col("instrument_id")).as("key"),
            lit(ORPHAN_REASON).as("reason"));
    Dataset<Row> orphanCollateral = collateral.join(ids, collateral.col("account_id").equalTo(ids.col("account_id")), "left_anti")
        .select(lit("collateral").as("source_table"), concat_ws("/", col("account_id"), col("asset")).as("key"),
            lit(ORPHAN_REASON).as("reason"));
    return new Grouped(joined, orphanPositions.unionByName(orphanCollateral));
  }

  /** The engine's account from one grouped row. */
  public static Account toAccount(Row r) {
    List<Position> positions = new ArrayList<>();
    int pi = r.fieldIndex("positions");
    if (!r.isNullAt(pi)) {
      for (Row p : r.<Row>getList(pi)) {
        positions.add(position(p));
      }
    }
    List<CollateralBalance> collateral = new ArrayList<>();
    int ci = r.fieldIndex("collateral");
    if (!r.isNullAt(ci)) {
      for (Row c : r.<Row>getList(ci)) {
        collateral.add(balance(c));
      }
    }
    Account account = account(r, positions, collateral);
    int rows = r.fieldIndex("account_rows");
    List<String> accountRows = r.getList(rows);
    return accountRows.size() > 1 ? account.withInputReject(duplicateReason(account.accountId(), accountRows)) : account;
  }

  /**
   * Why an account_id with several rows in {@code accounts} is REJECTED, naming each row
   * (parent_id/margin_mode/margin_currency): §4 keys accounts by (as_of_date, account_id), and margining
   * each row would count the account's positions twice in the exposures.
   */
  static String duplicateReason(String accountId, List<String> rows) {
    return "account_id " + accountId + " has " + rows.size() + " rows in accounts (" + String.join("; ", rows)
        + "): an account is one row; keep one";
  }

  static Position position(Row p) {
    return new Position(SparkValues.text(p, "instrument_id"), SparkValues.number(p, "quantity"),
        SparkValues.number(p, "entry_price"));
  }

  static CollateralBalance balance(Row c) {
    return new CollateralBalance(SparkValues.text(c, "asset"), SparkValues.number(c, "quantity"));
  }

  static Account account(Row r, List<Position> positions, List<CollateralBalance> collateral) {
    return new Account(SparkValues.text(r, "account_id"), SparkValues.text(r, "parent_id"),
        SparkValues.text(r, "margin_mode"), SparkValues.text(r, "margin_currency"), positions, collateral);
  }

  /**
   * One partition per unit, the three tables' files of a unit zipped and merged by account_id. Each
   * file is read as exactly one partition: {@code minPartitionNum = 1} while planning stops Spark from
   * splitting a file to fill the cores (the plan already checked the size against maxPartitionBytes).
   */
  private static JavaRDD<Item> clustered(SparkSession spark, List<ClusteredLayout.Unit> units) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SQLConf conf = spark.sessionState().conf();
    String key = "spark.sql.files.minPartitionNum";
    String before = conf.getConfString(key, null);
    conf.setConfString(key, "1");
    try {
      JavaRDD<InternalRow> accounts = files(spark, jsc, units, ClusteredLayout.Unit::accountsFile, InputTables.ACCOUNTS,
          "account_id", "parent_id", "margin_mode", "margin_currency");
      JavaRDD<InternalRow> collateral = files(spark, jsc, units, ClusteredLayout.Unit::collateralFile, InputTables.COLLATERAL,
          "account_id", "asset", "quantity");
      JavaRDD<InternalRow> positions = files(spark, jsc, units, ClusteredLayout.Unit::positionsFile, InputTables.POSITIONS,
          "account_id", "instrument_id", "quantity", "entry_price");
      List<String> names = units.stream().map(ClusteredLayout.Unit::accountsFile).toList();
      // The zip functions run inside one task, so the pair of iterators is never serialised.
      JavaRDD<Streams> pairs = accounts.zipPartitions(collateral, (a, c) -> List.of(new Streams(a, c)).iterator());
      return pairs.zipPartitions(positions, (s, p) -> {
        Streams both = s.next();
        return new ClusteredMerge(both.accounts(), both.collateral(), p,
            names.get(org.apache.spark.TaskContext.getPartitionId()));
      });
    } finally {
      if (before == null) {
        conf.unsetConf(key);
      } else {
        conf.setConfString(key, before);
      }
    }
  }

  private record Streams(Iterator<InternalRow> accounts, Iterator<InternalRow> collateral) {}

  /** Spark's internal rows of each unit's file, one partition per unit (empty where the unit has no file). */
  private static JavaRDD<InternalRow> files(SparkSession spark, JavaSparkContext jsc, List<ClusteredLayout.Unit> units,
      Function<ClusteredLayout.Unit, String> file, Table table, String... columns) {
    // One small query per file, planned concurrently: at 10M accounts about 100 per table, each costing
    // tens of milliseconds of driver time to analyse and plan.
    List<JavaRDD<InternalRow>> parts = Concurrently.map(units, unit -> {
      // Planning reads settings through the thread's active session (minPartitionNum above).
      SparkSession.setActiveSession(spark);
      String path = file.apply(unit);
      JavaRDD<InternalRow> part = path == null ? jsc.parallelize(List.<InternalRow>of(), 1)
          : spark.read().schema(table.schema()).parquet(path).selectExpr(columns).queryExecution().toRdd().toJavaRDD();
      if (part.getNumPartitions() != 1) {
        throw new IllegalStateException("Spark planned " + part.getNumPartitions() + " partitions for " + path
            + " although the layout check found it small enough for one");
      }
      return part;
    });
    return jsc.union(parts.toArray(JavaRDD[]::new));
  }
}
