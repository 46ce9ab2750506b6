package io.riskgrid.backtest.history;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

/** What one day t of a backtest produced: an observation or a skip for every portfolio of the panel. */
public record DayResult(LocalDate date, List<Observation> observations, List<SkippedDay> skipped) implements Serializable {
  public DayResult {
    observations = List.copyOf(observations);
    skipped = List.copyOf(skipped);
  }
}
