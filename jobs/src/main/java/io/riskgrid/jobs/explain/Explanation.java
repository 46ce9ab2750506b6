package io.riskgrid.jobs.explain;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Why one account's margin is what it is (DESIGN §7.3): its {@code margins} row as stored, each
 * underlying's binding scenario with the move it stands for, the contributions of the row with each
 * position's incremental margin, the collateral's part, and the engine's recomputation of the account
 * from its inputs, checked against the row. Amounts are in the account's margin currency (USD, or the
 * coin of a coin account) unless the name says otherwise; null where the row has none (a REJECTED or
 * DATA_ERROR account).
 *
 * @param policy the policy the recomputation used, against the one the run recorded
 * @param kernel the kernel the recomputation ran on
 * @param row the {@code margins} row's account figures
 * @param underlyings the row's {@code by_underlying}, in row order
 * @param collateral the account's collateral balances of the date
 * @param recomputed the engine's result from the inputs of the date; null when the account is no longer in them
 * @param warnings what makes the figures shown inconsistent or uncertain, one sentence each
 * @param filesRead data files read per table for this account, against the files of the date
 * @param timingsMs wall time of each step, milliseconds, in the order they ran
 */
public record Explanation(String accountId, LocalDate asOf, String runId, PolicyUsed policy, String kernel, RowFigures row,
    List<UnderlyingPart> underlyings, List<CollateralPart> collateral, Recomputed recomputed, List<String> warnings,
    Map<String, Files> filesRead, Map<String, Long> timingsMs) {

  /**
   * @param name the policy name used; {@code hash} its SHA-256
   * @param runName the policy name the run recorded in {@code runs} (null when the run is not there)
   * @param runHash the policy hash the run recorded
   */
  public record PolicyUsed(String name, String hash, String runName, String runHash) {
    public boolean matchesRun() {
      return hash.equals(runHash);
    }
  }

  /** The account figures of the {@code margins} row (DESIGN §4). */
  public record RowFigures(String marginMode, String marginCurrency, String status, String reason, Double equity,
      Double im, Double mm, Double pmIm, Double pmMm, Double standardIm, Double standardMm, Double pmSaving,
      Double liqMoveDown, Double liqMoveUp) {}

  /**
   * One element of the row's {@code by_underlying}, with the index price S (USD per coin) of the date and
   * the binding scenario looked up in the policy's grid for the underlying (null when L_u = 0 or the
   * label is not in the grid).
   */
  public record UnderlyingPart(String underlying, Double indexPrice, double scanLoss, String bindingScenario,
      ScenarioMove move, double cOpt, double cFut, double som, double mm, double delta, double gamma, double vega,
      double theta, List<ContributionPart> contributions) {}

  /**
   * The move of a scenario: price shock p (decimal: S' = S(1+p)), vol shock v (decimal vol for ADDITIVE,
   * a fraction of the vol for RELATIVE), horizon in days, REGULAR or EXTREME and the cover of its loss.
   */
  public record ScenarioMove(String label, double priceShock, double volShock, String volMode, double horizonDays,
      String kind, double cover) {}

  /** Who a contribution comes from. */
  public enum Source { POSITION, COLLATERAL, OTHER }

  /**
   * One contribution of the row: a position (an instrument id, its quantity in contracts), a collateral
   * asset (its quantity in units) or OTHER (the rows the run left out). {@code incrementalMm} is
   * MM(account) − MM(account without that position), recomputed by the engine; null for collateral and
   * OTHER, or when the account could not be recomputed.
   */
  public record ContributionPart(String source, Source kind, Double quantity, double contribution, Double incrementalMm) {}

  /**
   * One collateral balance: {@code equityValue} is what it adds to equity (after haircut in a USD account),
   * {@code mmContribution} its part of MM at the binding scenarios (DESIGN §7.3; 0 for cash and
   * stablecoins, whose price does not move); both null when the account could not be valued.
   */
  public record CollateralPart(String asset, double quantity, Double haircut, Double equityValue, Double mmContribution) {}

  /**
   * The engine's result from the date's inputs. {@code notional} is the account's N of DESIGN §3.4 in its
   * margin currency, and {@code mmTolerance} = 1e-9·max(|mm|, |row mm|) + 1e-9·N, the agreement bound.
   */
  public record Recomputed(String status, String reason, Double equity, Double im, Double mm, double notional,
      Double mmTolerance, boolean agrees) {}

  /**
   * Data files the lookup of one table opened, and how many files that table has for the date (null when
   * not counted: counting costs one more Delta planning per table).
   */
  public record Files(long read, Long ofDate) {}
}
