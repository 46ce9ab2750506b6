package io.riskgrid.margin;

import java.io.Serializable;
import java.util.List;

/**
 * The margin of one account on one underlying, in the account's margin currency (DESIGN §3.4):
 * scan loss, the scenario that binds it (null when the loss is 0), option and futures contingencies,
 * short option minimum, {@code mm = max(scanLoss + cOpt + cFut, som)}, and the Greeks (delta in coin,
 * gamma in coin per USD, vega per vol point, theta per day). {@code riskArray} is P&L per scenario
 * (negative is a loss), in {@code scenarioLabels} order. {@code contributions} split {@code mm} by
 * position and collateral asset (DESIGN §7.3), largest absolute value first; empty when the
 * calculator was not asked for them.
 */
public record UnderlyingMargin(String underlying, double scanLoss, String bindingScenario, double optionContingency,
    double futuresContingency, double shortOptionMinimum, double mm, double delta, double gamma, double vega,
    double theta, List<String> scenarioLabels, double[] riskArray, List<Contribution> contributions)
    implements Serializable {}
