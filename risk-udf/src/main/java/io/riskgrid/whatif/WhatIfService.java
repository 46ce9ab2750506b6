package io.riskgrid.whatif;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
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
import java.io.IOException;
import java.io.UncheckedIOException;
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
  /**
   * The names written once per contribution and per scenario (hundreds a response), as their quoted
   * UTF-8 bytes: copied, not encoded and checked for escapes each time.
   */
  private static final SerializableString SOURCE = new SerializedString("source");
  private static final SerializableString CONTRIBUTION = new SerializedString("contribution");
  private static final SerializableString SCENARIO = new SerializedString("scenario");
  private static final SerializableString PNL = new SerializedString("pnl");

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
   * ({@code bytes[offset, offset + length)}) to the response's, written by a generator of {@code json}
   * (so with the caller's number formatting): the same bytes as that tree written by a mapper on
   * {@code json}. A warm request (a market and instrument definitions seen before, a preset or the
   * served policy) is read as a token stream without a JSON tree ({@link WarmRequestReader}); any
   * other, and every bad one, is read by {@code tree} and takes the tree path, so errors are the same
   * as there. The response is written straight to bytes, without a tree, and returned only when whole.
   */
  public byte[] evaluateToBytes(byte[] bytes, int offset, int length, ServedMarket servedMarket,
      MarginPolicy servedPolicy, Supplier<JsonNode> tree, JsonFactory json) {
    WhatIfRequestParser.Parsed req = warm.read(bytes, offset, length, servedMarket, servedPolicy);
    if (req == null) {
      req = parser.parse(tree.get(), servedMarket, servedPolicy);
    }
    ByteArrayBuilder out = new ByteArrayBuilder(8192);
    try (JsonGenerator g = json.createGenerator(out)) {
      write(req, true, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** How many requests this service's streaming fast path has read (the rest took the tree path). */
  public long streamedRequests() {
    return warm.answered();
  }

  /** The response as a tree: written once, by {@link #write}, into a token buffer read back as a tree. */
  private ObjectNode evaluate(WhatIfRequestParser.Parsed req, boolean nameTheMarket) {
    TokenBuffer buffer = new TokenBuffer(JSON, false);
    try {
      write(req, nameTheMarket, buffer);
      return (ObjectNode) JSON.readTree(buffer.asParser());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(WhatIfRequestParser.Parsed req, boolean nameTheMarket, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("account_id", req.account().accountId());
    g.writeStringField("as_of", req.asOf().toString());
    g.writeObjectFieldStart("policy");
    g.writeStringField("name", req.policy().name());
    g.writeStringField("hash", req.policy().hash());
    g.writeEndObject();
    if (nameTheMarket) {
      g.writeObjectFieldStart("market");
      g.writeStringField("source", req.servedMarket() == null ? "request" : "served");
      g.writeStringField("as_of", req.asOf().toString());
      if (req.servedMarket() != null) {
        g.writeStringField("hash", req.servedMarket().hash());
      }
      g.writeEndObject();
    }
    if (!req.instrumentErrors().isEmpty()) {
      Map.Entry<String, String> first = req.instrumentErrors().entrySet().iterator().next();
      List<Issue> issues = new ArrayList<>();
      req.instrumentErrors().forEach((id, why) -> issues.add(new Issue(AccountStatus.REJECTED, "instruments", id, why)));
      writeMargin(g, rejected(req.account(), "malformed instrument " + first.getKey() + ": " + first.getValue(), issues));
      g.writeArrayFieldStart("top_positions");
      g.writeEndArray();
      if (req.order() != null) {
        writeOrder(g, null, null);
      }
      g.writeEndObject();
      return;
    }
    MarginCalculator calc = books.calculator(req.market(), req.policy(), req.instruments());
    AccountMargin before = calc.margin(req.account());
    writeMargin(g, before);
    writeTopPositions(g, calc, req.account(), before);
    if (req.order() != null) {
      // The order's answer reads figures only (IM, MM, equity, status): no contributions or liquidation
      // distances, which cost as much again as the account's own margin.
      writeOrder(g, before, calc.figuresOnly().margin(afterOrder(calc.book(), req.account(), req.order())));
    }
    g.writeEndObject();
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

  private static void writeMargin(JsonGenerator g, AccountMargin m) throws IOException {
    g.writeStringField("margin_currency", m.marginCurrency());
    g.writeStringField("margin_mode", m.marginMode());
    g.writeStringField("status", m.status().name());
    g.writeStringField("reason", m.reason());
    number(g, "equity", m.equity());
    number(g, "im", m.im());
    number(g, "mm", m.mm());
    number(g, "pm_im", m.pmIm());
    number(g, "pm_mm", m.pmMm());
    number(g, "standard_im", m.standardIm());
    number(g, "standard_mm", m.standardMm());
    number(g, "pm_saving", m.pmSaving());
    number(g, "liq_move_down", m.liqMoveDown());
    number(g, "liq_move_up", m.liqMoveUp());
    g.writeArrayFieldStart("by_underlying");
    for (UnderlyingMargin u : m.byUnderlying()) {
      g.writeStartObject();
      g.writeStringField("underlying", u.underlying());
      g.writeNumberField("scan_loss", u.scanLoss());
      g.writeStringField("binding_scenario", u.bindingScenario());
      g.writeNumberField("c_opt", u.optionContingency());
      g.writeNumberField("c_fut", u.futuresContingency());
      g.writeNumberField("som", u.shortOptionMinimum());
      g.writeNumberField("mm", u.mm());
      g.writeNumberField("delta", u.delta());
      g.writeNumberField("gamma", u.gamma());
      g.writeNumberField("vega", u.vega());
      g.writeNumberField("theta", u.theta());
      g.writeArrayFieldStart("contributions");
      for (Contribution c : u.contributions()) {
        g.writeStartObject();
        g.writeFieldName(SOURCE);
        g.writeString(c.source());
        g.writeFieldName(CONTRIBUTION);
        g.writeNumber(c.amount());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("risk_array");
      for (int s = 0; s < u.riskArray().length; s++) {
        g.writeStartObject();
        g.writeFieldName(SCENARIO);
        g.writeString(u.scenarioLabels().get(s));
        g.writeFieldName(PNL);
        g.writeNumber(u.riskArray()[s]);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("issues");
    for (Issue i : m.issues()) {
      g.writeStartObject();
      g.writeStringField("status", i.status().name());
      g.writeStringField("source", i.sourceTable());
      g.writeStringField("key", i.key());
      g.writeStringField("reason", i.reason());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A number field, or null where there is no value (as {@code ObjectNode.put(String, Double)} writes it). */
  private static void number(JsonGenerator g, String field, Double value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value.doubleValue());
    }
  }

  /**
   * The positions with the largest contributions to MM (DESIGN §7.3), at most {@link #TOP_POSITIONS}, each
   * with its incremental margin MM(account) − MM(account without it); empty for an account not margined.
   */
  private static void writeTopPositions(JsonGenerator g, MarginCalculator calc, Account account, AccountMargin margin)
      throws IOException {
    g.writeArrayFieldStart("top_positions");
    if (!margin.isValid()) {
      g.writeEndArray();
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
    // The book row of each position, from the account's own margin pass (the calculator's last batch).
    int[] rows = calc.instrumentRows(0).clone();
    for (Map.Entry<String, Double> e : ranked.subList(0, Math.min(TOP_POSITIONS, ranked.size()))) {
      Double rest = IncrementalMargin.mmWithout(calc, account, rows, margin, e.getKey());
      g.writeStartObject();
      g.writeStringField("instrument_id", e.getKey());
      number(g, "contribution", e.getValue());
      number(g, "incremental_mm", rest == null ? null : margin.mm() - rest);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeOrder(JsonGenerator g, AccountMargin before, AccountMargin after) throws IOException {
    g.writeObjectFieldStart("order");
    if (after == null || !after.isValid()) {
      g.writeNullField("im_after");
      g.writeNullField("mm_after");
      g.writeNullField("equity_after");
      g.writeNullField("incremental_im");
      g.writeStringField("status_after", after == null ? AccountStatus.REJECTED.name() : after.status().name());
      g.writeStringField("reason_after", after == null ? "the account is REJECTED" : after.reason());
      g.writeBooleanField("accepted", false);
      g.writeEndObject();
      return;
    }
    number(g, "im_after", after.im());
    number(g, "mm_after", after.mm());
    number(g, "equity_after", after.equity());
    Double incremental = before != null && before.isValid() ? after.im() - before.im() : null;
    number(g, "incremental_im", incremental);
    g.writeStringField("status_after", after.status().name());
    g.writeNullField("reason_after");
    boolean accepted = after.equity() >= after.im() || (incremental != null && incremental <= 0);
    g.writeBooleanField("accepted", accepted);
    g.writeEndObject();
  }
}
