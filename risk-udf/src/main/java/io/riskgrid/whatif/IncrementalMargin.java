package io.riskgrid.whatif;

import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.MarginMode;
import io.riskgrid.margin.Position;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.List;

/** A position's incremental margin (DESIGN §7.3): the account's MM without it, margined as cheaply as is exact. */
final class IncrementalMargin {
  private IncrementalMargin() {}

  /**
   * MM of {@code account} without its positions in {@code instrumentId}, or null where that account is not
   * margined; {@code rows} are the account's positions' book rows and {@code margin} its own margin.
   *
   * <p>Under a scan policy in portfolio mode, MM is the sum over the touched underlyings, in book order,
   * of each underlying's MM, and an underlying's MM reads only its own positions and collateral (its
   * risk-array block, sums, buckets and contingencies, DESIGN §3.4). Removing the position changes one
   * term, so only that underlying is margined again, on its other positions and the same collateral, and
   * the sum is taken in the same order: the same double as margining the whole account without the
   * position ({@code WhatIfIncrementalMarginTest}), at a third of the cost for three underlyings.
   * Otherwise (historical ES, joint across underlyings; standard mode, a sum over positions) the whole
   * account is margined again.
   */
  static Double mmWithout(MarginCalculator calc, Account account, int[] rows, AccountMargin margin, String instrumentId) {
    ValuedBook valued = calc.book().valued();
    List<Position> positions = account.positions();
    boolean scanPortfolio = calc.book().policy().expectedShortfall() == null
        && MarginMode.PORTFOLIO.name().equals(margin.marginMode());
    if (scanPortfolio) {
      int row = valued.indexOf(instrumentId);
      String underlying = valued.instrument(row).underlying();
      int index = valued.pnl().underlyingOf(row);
      List<Position> same = new ArrayList<>();
      for (int j = 0; j < positions.size(); j++) {
        if (valued.pnl().underlyingOf(rows[j]) == index && rows[j] != row) {
          same.add(positions.get(j));
        }
      }
      if (!same.isEmpty()) {
        AccountMargin part = calc.figuresOnly().margin(new Account(account.accountId(), account.parentId(),
            account.marginMode(), account.marginCurrency(), same, account.collateral()));
        if (part.isValid()) {
          double mm = 0;
          for (UnderlyingMargin u : margin.byUnderlying()) {
            if (!u.underlying().equals(underlying)) {
              mm += u.mm();
              continue;
            }
            for (UnderlyingMargin again : part.byUnderlying()) {
              if (again.underlying().equals(underlying)) {
                mm += again.mm();
              }
            }
          }
          return mm;
        }
      }
    }
    List<Position> without = new ArrayList<>(positions.size());
    for (Position p : positions) {
      if (!p.instrumentId().equals(instrumentId)) {
        without.add(p);
      }
    }
    // Only MM is read: no contributions or liquidation distances for the account without the position.
    AccountMargin rest = calc.figuresOnly().margin(new Account(account.accountId(), account.parentId(),
        account.marginMode(), account.marginCurrency(), without, account.collateral()));
    return rest.isValid() ? rest.mm() : null;
  }
}
