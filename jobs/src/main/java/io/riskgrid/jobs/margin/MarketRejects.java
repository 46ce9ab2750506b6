package io.riskgrid.jobs.margin;

import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.Issue;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One {@code rejects} row per market problem, not one per position it touches. Stage 1 knows every
 * underlying whose market cannot be used and every instrument the market cannot value; each is named
 * once (source {@code market_underlyings} with the underlying as key, or {@code instruments} with the
 * instrument id), while the accounts that touch them still become DATA_ERROR with that reason in
 * {@code margins}. Three spoiled market rows used to write a quarter of a million rejects rows.
 */
final class MarketRejects {
  /** Reason → its one rejects row. */
  private final Map<String, Issue> byReason;

  private MarketRejects(Map<String, Issue> byReason) {
    this.byReason = byReason;
  }

  static MarketRejects of(ValuedBook book) {
    Map<String, Issue> byReason = new LinkedHashMap<>();
    for (int u = 0; u < book.underlyings().size(); u++) {
      String why = book.underlyingError(u);
      if (why != null) {
        byReason.putIfAbsent(why, new Issue(AccountStatus.DATA_ERROR, "market_underlyings", book.underlyings().get(u), why));
      }
    }
    for (int i = 0; i < book.instrumentCount(); i++) {
      String why = book.dataError(i);
      if (why != null) {
        byReason.putIfAbsent(why, new Issue(AccountStatus.DATA_ERROR, "instruments", book.instrument(i).id(),
            "cannot be valued on the market of the date: " + why));
      }
    }
    return new MarketRejects(byReason);
  }

  /** An account's issues less those named once for the whole market. */
  List<Issue> perAccount(List<Issue> issues) {
    if (byReason.isEmpty() || issues.isEmpty()) {
      return issues;
    }
    List<Issue> kept = new ArrayList<>(issues.size());
    for (Issue i : issues) {
      if (i.status() != AccountStatus.DATA_ERROR || !byReason.containsKey(i.reason())) {
        kept.add(i);
      }
    }
    return kept;
  }

  /** The market's own rejects rows ({@link MarginRows#ISSUE}), each once. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>(byReason.size());
    for (Issue i : byReason.values()) {
      rows.add(RowFactory.create(i.sourceTable(), i.key(), i.reason()));
    }
    return rows;
  }

  /** The reasons named once, for tests. */
  Set<String> reasons() {
    return byReason.keySet();
  }
}
