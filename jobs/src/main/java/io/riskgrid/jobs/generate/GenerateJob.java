package io.riskgrid.jobs.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.InputTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code riskgrid generate}: a deterministic exchange for one date. The universe and market are
 * written from the driver; accounts, collateral and positions are generated inside Spark partitions
 * (contiguous id ranges), so 10M accounts never pass through the driver. Each partition writes one
 * positions file sorted by account_id, every account wholly inside it.
 */
public final class GenerateJob {
  /** Accounts per partition: about 2M position rows, well under spark.sql.files.maxPartitionBytes. */
  static final long ACCOUNTS_PER_PARTITION = 100_000;

  /** One generated row of any of the three account tables; {@code table} says which. */
  static final StructType GENERATED = new StructType()
      .add("table", DataTypes.StringType, false)
      .add("account_id", DataTypes.StringType, false)
      .add("parent_id", DataTypes.StringType)
      .add("margin_mode", DataTypes.StringType)
      .add("margin_currency", DataTypes.StringType)
      .add("item", DataTypes.StringType)
      .add("quantity", DataTypes.DoubleType)
      .add("entry_price", DataTypes.DoubleType);

  private GenerateJob() {}

  /** In the {@code runs} config of a generation over the warehouse's market ({@link #runOn}). */
  public static final String ON_WAREHOUSE_MARKET = "universe=warehouse";

  public record Summary(long accounts, long positions, long collateralRows, int instruments) {}

  public static Summary run(SparkSession spark, Warehouse warehouse, LocalDate asOf, long accounts, long seed,
      MarginPolicy policy, RiskKernel kernel) {
    RunRecord run = RunRecord.start("generate", asOf).policy(policy.name(), policy.hash()).kernel(kernel.name(), "generate")
        .config("seed=" + seed + ",accounts=" + accounts);
    warehouse.ensureTables();
    ExchangeUniverse universe = ExchangeUniverse.of(asOf);
    writeUniverse(spark, warehouse, asOf, universe);
    return generate(spark, warehouse, asOf, accounts, seed, policy, kernel, run,
        StageOne.book(universe.market(), universe.instruments(), policy, kernel));
  }

  /**
   * Accounts, collateral and positions for {@code asOf} over a market and instruments already in the
   * warehouse, such as an imported market ({@code demo --market}): nothing but the three account tables is
   * written. Accounts hold the underlyings and settlements the instruments offer (coin accounts where there
   * are only inverse instruments).
   */
  public static Summary runOn(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarketTables.MarketOfDate market,
      long accounts, long seed, MarginPolicy policy, RiskKernel kernel) {
    RunRecord run = RunRecord.start("generate", asOf).policy(policy.name(), policy.hash()).kernel(kernel.name(), "generate")
        .config("seed=" + seed + ",accounts=" + accounts + "," + ON_WAREHOUSE_MARKET);
    warehouse.ensureTables();
    return generate(spark, warehouse, asOf, accounts, seed, policy, kernel, run, StageOne.book(market, policy, kernel));
  }

  private static Summary generate(SparkSession spark, Warehouse warehouse, LocalDate asOf, long accounts, long seed,
      MarginPolicy policy, RiskKernel kernel, RunRecord run, InstrumentBook book) {
    StageTimer stages = StageTimer.of(run);
    Written written = stages.time("generate", () -> generateAccounts(spark, warehouse, asOf, accounts, seed, book, kernel));
    Summary summary = new Summary(written.accounts(), written.positions(), written.collateral(),
        book.valued().instrumentCount());
    run.count("accounts_out", summary.accounts()).count("positions_out", summary.positions())
        .count("collateral_out", summary.collateralRows()).count("instruments", summary.instruments())
        .groupingPath("clustered").finishAndAppend(warehouse, spark);
    stages.done(summary.accounts());
    return summary;
  }

  /** Rows of the three account tables written for the date. */
  private record Written(long accounts, long positions, long collateral) {}

  /** The instruments (added to the table) and the date's market, from the driver. */
  private static void writeUniverse(SparkSession spark, Warehouse warehouse, LocalDate asOf, ExchangeUniverse universe) {
    MarketTables.mergeInstruments(spark, warehouse, universe.instruments());
    MarketTables.writeSnapshot(spark, warehouse, asOf, universe.market());
  }

  /**
   * Accounts, collateral and positions generated in partitions of contiguous id ranges and written as
   * the date's slices, each partition's rows in id order, so the date is laid out by account. Customer
   * accounts come first; the last ids are the liquidity providers that close the exchange
   * ({@link ClosingSide}), built on the driver from the customers' net open quantity per instrument (one
   * small aggregation of at most one row per instrument) and written as one more partition.
   */
  private static Written generateAccounts(SparkSession spark, Warehouse warehouse, LocalDate asOf, long accounts,
      long seed, InstrumentBook book, RiskKernel kernel) {
    long providers = ClosingSide.providerCount(book.valued(), accounts);
    if (accounts <= providers) {
      throw new IllegalArgumentException("--accounts must be more than " + providers + " (the liquidity providers that "
          + "take the other side of every contract, DESIGN §7.2), got " + accounts);
    }
    long customers = accounts - providers;
    Broadcast<InstrumentBook> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(book);
    // At least one partition per core, so small runs use the machine; more when files would grow large.
    int partitions = (int) Math.max(spark.sparkContext().defaultParallelism(),
        (customers + ACCOUNTS_PER_PARTITION - 1) / ACCOUNTS_PER_PARTITION);
    Dataset<Row> customerRows = spark.range(0, customers, 1, partitions)
        .mapPartitions(new Generate(shared, kernel, seed), Encoders.row(GENERATED))
        .persist(StorageLevel.DISK_ONLY());
    ClosingSide closing = new ClosingSide();
    // Quantities are whole tenths of a contract: summed as integers, the closing side is exact.
    for (Row r : customerRows.filter(col("table").equalTo(lit("positions"))).groupBy(col("item"))
        .agg(sum(round(col("quantity").multiply(10)).cast(DataTypes.LongType))).collectAsList()) {
      closing.add(r.getString(0), r.getLong(1));
    }
    AccountGenerator providerGenerator = new AccountGenerator(seed, book, new MarginCalculator(book, kernel));
    List<Row> providerRows = new ArrayList<>();
    for (Account a : closing.providers(providerGenerator, book.valued(), customers, accounts, seed)) {
      Generate.emit(a, providerRows);
    }
    Dataset<Row> generated = customerRows.union(spark.createDataFrame(providerRows, GENERATED).coalesce(1));
    Date d = SparkValues.date(asOf);
    Dataset<Row> accountRows = generated.filter(col("table").equalTo(lit("accounts")))
        .select(col("account_id"), col("parent_id"), col("margin_mode"), col("margin_currency"))
        .withColumn("as_of_date", lit(d));
    Dataset<Row> collateral = generated.filter(col("table").equalTo(lit("collateral")))
        .select(col("account_id"), col("item").as("asset"), col("quantity"))
        .withColumn("as_of_date", lit(d));
    Dataset<Row> positions = generated.filter(col("table").equalTo(lit("positions")))
        .select(col("account_id"), col("item").as("instrument_id"), col("quantity"), col("entry_price"))
        .withColumn("as_of_date", lit(d));
    warehouse.replaceSlice(ordered(accountRows, InputTables.ACCOUNTS.schema()), InputTables.ACCOUNTS, asOf);
    warehouse.replaceSlice(ordered(collateral, InputTables.COLLATERAL.schema()), InputTables.COLLATERAL, asOf);
    warehouse.replaceSlice(ordered(positions, InputTables.POSITIONS.schema()), InputTables.POSITIONS, asOf);
    Written written = new Written(warehouse.read(InputTables.ACCOUNTS, asOf).count(),
        warehouse.read(InputTables.POSITIONS, asOf).count(), warehouse.read(InputTables.COLLATERAL, asOf).count());
    customerRows.unpersist();
    return written;
  }

  /** Columns in the table's order, so the write matches its schema exactly. */
  private static Dataset<Row> ordered(Dataset<Row> rows, StructType schema) {
    return rows.selectExpr(schema.fieldNames());
  }

  /** Generates the rows of one contiguous id range, in id order. */
  static final class Generate implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<InstrumentBook> book;
    private final RiskKernel kernel;
    private final long seed;

    Generate(Broadcast<InstrumentBook> book, RiskKernel kernel, long seed) {
      this.book = book;
      this.kernel = kernel;
      this.seed = seed;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> ids) {
      InstrumentBook b = book.value();
      AccountGenerator generator = new AccountGenerator(seed, b, new MarginCalculator(b, kernel));
      return new Iterator<>() {
        private final List<Row> pending = new ArrayList<>();
        private int next;

        @Override
        public boolean hasNext() {
          while (next == pending.size() && ids.hasNext()) {
            pending.clear();
            next = 0;
            emit(generator.generate(ids.next()), pending);
          }
          return next < pending.size();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return pending.get(next++);
        }
      };
    }

    static void emit(Account a, List<Row> out) {
      out.add(RowFactory.create("accounts", a.accountId(), a.parentId(), a.marginMode(), a.marginCurrency(), null, null, null));
      for (CollateralBalance c : a.collateral()) {
        out.add(RowFactory.create("collateral", a.accountId(), null, null, null, c.asset(), c.quantity(), null));
      }
      for (Position p : a.positions()) {
        out.add(RowFactory.create("positions", a.accountId(), null, null, null, p.instrumentId(), p.quantity(),
            Double.isNaN(p.entryPrice()) ? null : p.entryPrice()));
      }
    }
  }
}
