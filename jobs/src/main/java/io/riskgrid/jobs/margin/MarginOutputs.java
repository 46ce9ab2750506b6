package io.riskgrid.jobs.margin;

import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.LiquidationCurve;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.valuation.ValuedBook;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The margin run's side of the stage-2 loop: one {@link MarginRows} row per account and per orphan
 * input row, while each partition sums its exposures and keeps its rejects (up to a cap), which it
 * sends to the driver through {@link PartitionSideOutputs} when its last account is done.
 */
final class MarginOutputs implements MarginLoop.Sinks<InternalRow> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<InstrumentBook> book;
  private final PartitionSideOutputs side;
  private final int issuesPerPartition;
  private final LocalDate asOf;
  private final String runId;
  private final MarginRows.RunPolicy policy;
  private final boolean riskArrays;
  private final int contributionsKept;
  private final boolean liquidation;

  MarginOutputs(Broadcast<InstrumentBook> book, PartitionSideOutputs side, int issuesPerPartition, LocalDate asOf,
      String runId, MarginRows.RunPolicy policy, boolean riskArrays, int contributionsKept, boolean liquidation) {
    this.liquidation = liquidation;
    this.book = book;
    this.side = side;
    this.issuesPerPartition = issuesPerPartition;
    this.asOf = asOf;
    this.runId = runId;
    this.policy = policy;
    this.riskArrays = riskArrays;
    this.contributionsKept = contributionsKept;
  }

  @Override
  public boolean contributions() {
    return true;
  }

  @Override
  public boolean liquidation() {
    return liquidation;
  }

  /** Only for {@code risk_arrays}: no other output of the margin run reads them. */
  @Override
  public boolean riskArrays() {
    return riskArrays;
  }

  @Override
  public InstrumentBook book() {
    return book.value();
  }

  @Override
  public MarginLoop.Sink<InternalRow> open(int partition) {
    return new Partition(partition);
  }

  private final class Partition implements MarginLoop.Sink<InternalRow> {
    private final int index;
    private final ExposureSums exposures = new ExposureSums(book.value());
    private final List<Row> issues = new ArrayList<>();
    private final LiquidationCurve curve = new LiquidationCurve();
    private final MarketRejects marketRejects = MarketRejects.of(book.value().valued());
    private final MarginRows.RunColumns run = MarginRows.RunColumns.of(asOf, runId, policy);
    private boolean issuesOverflowed;

    Partition(int index) {
      this.index = index;
    }

    @Override
    public void margined(Account account, AccountMargin margin, MarginCalculator batch, int k, Consumer<InternalRow> out) {
      exposures.add(account, margin, batch.instrumentRows(k));
      double[] movePnl = batch.movePnl(k);
      if (movePnl != null) {
        curve.add(movePnl, margin.equity(), margin.mm(), coinIndexUsd(margin));
      }
      List<Issue> rejects = marketRejects.perAccount(margin.issues());
      rejects.forEach(this::keep);
      out.accept(MarginRows.of(margin, rejects, run, riskArrays, contributionsKept));
    }

    @Override
    public void orphan(Issue orphan, Consumer<InternalRow> out) {
      keep(orphan);
      out.accept(MarginRows.orphan(orphan, run));
    }

    @Override
    public void finish(Consumer<InternalRow> out) {
      side.add(new PartitionSideOutputs.Partition(index, exposures.rows(),
          issuesOverflowed ? List.of() : List.copyOf(issues), issuesOverflowed, curve));
    }

    /** A coin account's coin index today, USD per coin; NaN for a USD account. */
    private double coinIndexUsd(AccountMargin margin) {
      ValuedBook valued = book.value().valued();
      int coin = valued.underlyingIndexOf(margin.marginCurrency());
      return MarginCurrency.USD.code().equals(margin.marginCurrency()) || coin < 0 ? Double.NaN : valued.spot(coin);
    }

    private void keep(Issue issue) {
      if (issues.size() < issuesPerPartition) {
        issues.add(RowFactory.create(issue.sourceTable(), issue.key(), issue.reason()));
      } else {
        issuesOverflowed = true;
      }
    }
  }
}
