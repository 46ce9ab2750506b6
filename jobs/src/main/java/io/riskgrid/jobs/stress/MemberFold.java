package io.riskgrid.jobs.stress;

import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountValuation;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.stress.ScenarioFold;
import io.riskgrid.stress.StressEvaluator;
import java.util.function.Consumer;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * The stress run's side of the margin loop: each valid account's P&amp;L, net and shortfall per
 * scenario (DESIGN §3.5, as {@link StressEvaluator#evaluate}) go straight into the partition's totals
 * in one pass, without per-account arrays ({@link ScenarioFold}, in vector lanes). {@code solo}: every
 * account is its own member (the others were diverted) and is offered as its member at once; otherwise
 * the partitions hold members' accounts in member order, and consecutive accounts of one member are
 * summed and offered when the next member starts. Without {@code members} no member figure is kept.
 * Orphan input rows belong to no account (the margin run reports them as rejects) and REJECTED or
 * DATA_ERROR accounts have no figures: both are skipped.
 */
final class MemberFold implements MarginLoop.Sinks<StressJob.StageTwoRow> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<StressEvaluator> evaluator;
  private final boolean solo;
  private final boolean members;
  private final LongAccumulator accountsDone;

  MemberFold(Broadcast<StressEvaluator> evaluator, boolean solo, boolean members, LongAccumulator accountsDone) {
    this.evaluator = evaluator;
    this.solo = solo;
    this.members = members;
    this.accountsDone = accountsDone;
  }

  @Override
  public InstrumentBook book() {
    return evaluator.value().book();
  }

  /** The fold reads each account's P&amp;L from the calculator's sums ({@link MarginCalculator#scenarioPnl}). */
  @Override
  public boolean riskArrays() {
    return false;
  }

  /** The fold reads each account's equity and P&amp;L, never its margin figures: valuations spare the scan. */
  @Override
  public boolean valuations() {
    return true;
  }

  /** A solo account's scenarios in deficit, offered as its member's ({@link StressAggregates#addMemberShortfall}). */
  private static final class SoloDeficits implements ScenarioFold.Deficits {
    private final StressAggregates partial;
    /** The member of the account being folded. */
    String member;

    SoloDeficits(StressAggregates partial) {
      this.partial = partial;
    }

    @Override
    public void deficit(int j, double shortfallUsd, double netUsd) {
      partial.addMemberShortfall(j, member, shortfallUsd, netUsd);
    }
  }

  @Override
  public MarginLoop.Sink<StressJob.StageTwoRow> open(int partition) {
    StressEvaluator ev = evaluator.value();
    int n = ev.set().size();
    StressAggregates partial = new StressAggregates(n);
    ScenarioFold.Totals totals = partial.totals();
    double[] pnl = new double[n];
    double[] memberShortfall = new double[n];
    double[] memberNet = new double[n];
    SoloDeficits soloDeficits = members ? new SoloDeficits(partial) : null;
    return new MarginLoop.Sink<>() {
      private String member;

      /** A margin implies the valuation the fold reads; the loop hands valuations ({@link #valuations()}). */
      @Override
      public void margined(Account account, AccountMargin margin, MarginCalculator batch, int k,
          Consumer<StressJob.StageTwoRow> out) {
        valued(account, AccountValuation.of(margin), batch, k, out);
      }

      @Override
      public void valued(Account account, AccountValuation valuation, MarginCalculator batch, int k,
          Consumer<StressJob.StageTwoRow> out) {
        accountsDone.add(1);
        if (!ev.pnlInto(account, valuation, batch, k, pnl)) {
          return;
        }
        String memberId = StressJob.memberOf(account);
        double equity = valuation.equity();
        double usd = ev.usdPerUnit(valuation.marginCurrency());
        double[] shocked = ev.shockedUsdPerUnit(valuation.marginCurrency());
        partial.accounts++;
        if (solo) {
          if (soloDeficits != null) {
            soloDeficits.member = memberId;
          }
          ScenarioFold.addAccount(pnl, n, equity, usd, shocked, totals, soloDeficits);
          return;
        }
        if (!memberId.equals(member)) {
          flush();
          member = memberId;
        }
        ScenarioFold.addMemberAccount(pnl, n, equity, usd, shocked, totals, memberShortfall, memberNet);
      }

      @Override
      public void finish(Consumer<StressJob.StageTwoRow> out) {
        flush();
        out.accept(new StressJob.StageTwoRow(partial, null, null));
      }

      private void flush() {
        if (member != null) {
          partial.addMember(member, memberShortfall, memberNet);
          java.util.Arrays.fill(memberShortfall, 0);
          java.util.Arrays.fill(memberNet, 0);
          member = null;
        }
      }
    };
  }
}
