package io.riskgrid.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Contribution;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.margin.Position;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pre-trade and what-if margin for one account without Spark (DESIGN §5 {@code whatif}). Stage 1
 * (the instrument book) is cached per market snapshot and policy: per instrument set for the command
 * line, over every instrument seen for a service ({@link #forService}), so a warm call only
 * aggregates and applies the rules. Not thread-safe: one instance per thread.
 */
public final class WhatIfService {
  /** How many positions get an incremental margin in a response (DESIGN §7.3: the top 5 contributors). */
  static final int TOP_POSITIONS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WhatIfRequestParser parser;
  private final WarmRequestReader warm;
  private final StageOneBooks books;

  /**
   * The command line's service: a policy string that is not a preset is read as a file (the user's own
   * disk), and each request is valued on a book of its own instruments (cached per instrument set), so
   * an answer never depends on the requests before it, whatever the kernel.
   */
  public WhatIfService(RiskKernel kernel) {
    this(kernel, true, false);
  }

  private WhatIfService(RiskKernel kernel, boolean policyFilesAllowed, boolean sharedBooks) {
    this.parser = new WhatIfRequestParser(policyFilesAllowed);
    this.warm = new WarmRequestReader(parser);
    this.books = new StageOneBooks(kernel, sharedBooks);
  }

  /**
   * A pre-trade service's: stage 1 is shared by every request on one market and policy (one book over
   * every instrument seen with them), and unless {@code policyFilesAllowed}, a policy string that is
   * not a preset is refused instead of being read as a path on this machine. With the scalar kernel an
   * instrument's values do not depend on the other instruments in its book, so answers equal the
   * command line's bit for bit; the simd kernel's base values can differ in the last bit with the
   * instrument's position in its batch (within the 1e-10 agreement of DESIGN §2).
   */
  public static WhatIfService forService(RiskKernel kernel, boolean policyFilesAllowed) {
    return new WhatIfService(kernel, policyFilesAllowed, true);
  }

  /** Evaluates a request document; throws {@link io.riskgrid.InvalidInputException} naming the bad field. */
  public ObjectNode evaluate(JsonNode request) {
    return evaluate(parser.parse(request), false);
  }

  /**
   * Evaluates a request for a pre-trade service: without {@code market} it is valued on
   * {@code servedMarket}, without {@code policy} under {@code servedPolicy} (either may be null when
   * the service has none). The response also says which market it used: {@code market} with
   * {@code source} (served or request), {@code as_of} and, for the served one, its {@code hash}.
   */
  public ObjectNode evaluate(JsonNode request, ServedMarket servedMarket, MarginPolicy servedPolicy) {
    return evaluate(parser.parse(request, servedMarket, servedPolicy), true);
  }

  /**
   * {@link #evaluate(JsonNode, ServedMarket, MarginPolicy)} from the request's bytes
   * ({@code bytes[offset, offset + length)}). A warm request (a market and instrument definitions seen
   * before, a preset or the served policy) is read as a token stream without a JSON tree
   * ({@link WarmRequestReader}); any other, and every bad one, is read by {@code tree} and takes the
   * tree path, so errors are the same as there. The response is the same either way.
   */
  public ObjectNode evaluate(byte[] bytes, int offset, int length, ServedMarket servedMarket, MarginPolicy servedPolicy,
      Supplier<JsonNode> tree) {
    WhatIfRequestParser.Parsed req = warm.read(bytes, offset, length, servedMarket, servedPolicy);
    return evaluate(req != null ? req : parser.parse(tree.get(), servedMarket, servedPolicy), true);
  }

  /** How many requests the streaming fast path has answered. */
  long warmRequests() {
    return warm.answered();
  }

  private ObjectNode evaluate(WhatIfRequestParser.Parsed req, boolean nameTheMarket) {
    ObjectNode out = JSON.createObjectNode();
    out.put("account_id", req.account().accountId());
    out.put("as_of", req.asOf().toString());
    out.putObject("policy").put("name", req.policy().name()).put("hash", req.policy().hash());
    if (nameTheMarket) {
      ObjectNode market = out.putObject("market");
      market.put("source", req.servedMarket() == null ? "request" : "served").put("as_of", req.asOf().toString());
      if (req.servedMarket() != null) {
        market.put("hash", req.servedMarket().hash());
      }
    }
    if (!req.instrumentErrors().isEmpty()) {
      Map.Entry<String, String> first = req.instrumentErrors().entrySet().iterator().next();
      List<Issue> issues = new ArrayList<>();
      req.instrumentErrors().forEach((id, why) -> issues.add(new Issue(AccountStatus.REJECTED, "instruments", id, why)));
      writeMargin(out, req.account(), rejected(req.account(), "malformed instrument " + first.getKey() + ": " + first.getValue(), issues));
      out.putArray("top_positions");
      if (req.order() != null) {
        writeOrder(out, null, null);
      }
      return out;
    }
    MarginCalculator calc = books.calculator(req.market(), req.policy(), req.instruments());
    AccountMargin before = calc.margin(req.account());
    writeMargin(out, req.account(), before);
    writeTopPositions(out, calc, req.account(), before);
    if (req.order() != null) {
      writeOrder(out, before, calc.margin(afterOrder(calc.book(), req.account(), req.order())));
    }
    return out;
  }

  /**
   * Values, now, the shared stage-1 book of {@code market} and {@code policy} with every instrument this
   * service has seen under the policy, so that requests after a market swap find it warm. A service
   * calls it before it starts answering on a new market; a no-op for the command line's service.
   */
  public void prepare(ServedMarket market, MarginPolicy policy) {
    books.prepare(market.snapshot(), policy);
  }

  /**
   * The account with the order filled at mark: futures at F and perpetuals at S (no unrealised P&L; the
   * book's {@code forward} is S for a perpetual),
   * options paying or receiving m·V (m·V/F in coin) in the margin currency, so equity is unchanged.
   */
  static Account afterOrder(InstrumentBook book, Account account, List<Position> order) {
    // Sized for the order, so adding it does not grow the lists (the Account copies them once more).
    List<Position> positions = new ArrayList<>(account.positions().size() + order.size());
    positions.addAll(account.positions());
    List<CollateralBalance> collateral = new ArrayList<>(account.collateral().size() + order.size());
    collateral.addAll(account.collateral());
    // The premium moves in the margin currency; an account without one is REJECTED before and after the order.
    String raw = account.marginCurrency();
    String currency = raw == null || raw.isBlank() ? "" : MarginCurrency.parse(raw).code();
    ValuedBook valued = book.valued();
    for (Position p : order) {
      int row = valued.indexOf(p.instrumentId());
      Instrument ins = row < 0 ? null : valued.instrument(row);
      if (ins != null && ins.isOption()) {
        positions.add(new Position(p.instrumentId(), p.quantity(), Double.NaN));
        double premium = p.quantity() * valued.markValue(row);
        if (Double.isFinite(premium) && premium != 0) {
          collateral.add(new CollateralBalance(currency, -premium));
        }
      } else {
        positions.add(new Position(p.instrumentId(), p.quantity(), row < 0 ? Double.NaN : valued.forward(row)));
      }
    }
    return new Account(account.accountId(), account.parentId(), account.marginMode(), account.marginCurrency(),
        positions, collateral);
  }

  private static AccountMargin rejected(Account a, String reason, List<Issue> issues) {
    return new AccountMargin(a.accountId(), a.parentId(), a.marginMode(), a.marginCurrency(), AccountStatus.REJECTED,
        reason, null, null, null, null, null, null, null, null, null, null, List.of(), issues);
  }

  private static void writeMargin(ObjectNode out, Account a, AccountMargin m) {
    out.put("margin_currency", m.marginCurrency());
    out.put("margin_mode", m.marginMode());
    out.put("status", m.status().name());
    out.put("reason", m.reason());
    out.put("equity", m.equity());
    out.put("im", m.im());
    out.put("mm", m.mm());
    out.put("pm_im", m.pmIm());
    out.put("pm_mm", m.pmMm());
    out.put("standard_im", m.standardIm());
    out.put("standard_mm", m.standardMm());
    out.put("pm_saving", m.pmSaving());
    out.put("liq_move_down", m.liqMoveDown());
    out.put("liq_move_up", m.liqMoveUp());
    ArrayNode by = out.putArray("by_underlying");
    for (UnderlyingMargin u : m.byUnderlying()) {
      ObjectNode n = by.addObject();
      n.put("underlying", u.underlying());
      n.put("scan_loss", u.scanLoss());
      n.put("binding_scenario", u.bindingScenario());
      n.put("c_opt", u.optionContingency());
      n.put("c_fut", u.futuresContingency());
      n.put("som", u.shortOptionMinimum());
      n.put("mm", u.mm());
      n.put("delta", u.delta());
      n.put("gamma", u.gamma());
      n.put("vega", u.vega());
      n.put("theta", u.theta());
      ArrayNode parts = n.putArray("contributions");
      for (Contribution c : u.contributions()) {
        parts.addObject().put("source", c.source()).put("contribution", c.amount());
      }
      ArrayNode ra = n.putArray("risk_array");
      for (int s = 0; s < u.riskArray().length; s++) {
        ra.addObject().put("scenario", u.scenarioLabels().get(s)).put("pnl", u.riskArray()[s]);
      }
    }
    ArrayNode issues = out.putArray("issues");
    for (Issue i : m.issues()) {
      issues.addObject().put("status", i.status().name()).put("source", i.sourceTable()).put("key", i.key())
          .put("reason", i.reason());
    }
  }

  /**
   * The positions with the largest contributions to MM (DESIGN §7.3), at most {@link #TOP_POSITIONS}, each
   * with its incremental margin MM(account) − MM(account without it); empty for an account not margined.
   */
  private static void writeTopPositions(ObjectNode out, MarginCalculator calc, Account account, AccountMargin margin) {
    ArrayNode top = out.putArray("top_positions");
    if (!margin.isValid()) {
      return;
    }
    Map<String, Double> byInstrument = new LinkedHashMap<>();
    for (UnderlyingMargin u : margin.byUnderlying()) {
      for (Contribution c : u.contributions()) {
        if (calc.book().valued().indexOf(c.source()) >= 0) {
          byInstrument.merge(c.source(), c.amount(), Double::sum);
        }
      }
    }
    List<Map.Entry<String, Double>> ranked = new ArrayList<>(byInstrument.entrySet());
    ranked.sort((x, y) -> Double.compare(Math.abs(y.getValue()), Math.abs(x.getValue())));
    for (Map.Entry<String, Double> e : ranked.subList(0, Math.min(TOP_POSITIONS, ranked.size()))) {
      List<Position> without = new ArrayList<>(account.positions().size());
      for (Position p : account.positions()) {
        if (!p.instrumentId().equals(e.getKey())) {
          without.add(p);
        }
      }
      AccountMargin rest = calc.margin(new Account(account.accountId(), account.parentId(), account.marginMode(),
          account.marginCurrency(), without, account.collateral()));
      top.addObject().put("instrument_id", e.getKey()).put("contribution", e.getValue())
          .put("incremental_mm", rest.isValid() ? margin.mm() - rest.mm() : null);
    }
  }

  private static void writeOrder(ObjectNode out, AccountMargin before, AccountMargin after) {
    ObjectNode o = out.putObject("order");
    if (after == null || !after.isValid()) {
      o.putNull("im_after");
      o.putNull("mm_after");
      o.putNull("equity_after");
      o.putNull("incremental_im");
      o.put("status_after", after == null ? AccountStatus.REJECTED.name() : after.status().name());
      o.put("reason_after", after == null ? "the account is REJECTED" : after.reason());
      o.put("accepted", false);
      return;
    }
    o.put("im_after", after.im());
    o.put("mm_after", after.mm());
    o.put("equity_after", after.equity());
    Double incremental = before != null && before.isValid() ? after.im() - before.im() : null;
    o.put("incremental_im", incremental);
    o.put("status_after", after.status().name());
    o.putNull("reason_after");
    boolean accepted = after.equity() >= after.im() || (incremental != null && incremental <= 0);
    o.put("accepted", accepted);
  }
}
