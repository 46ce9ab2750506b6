package io.riskgrid.jobs.generate;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.Position;
import io.riskgrid.valuation.ValuedBook;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The other side of every contract in a generated exchange (DESIGN §7.2): customer accounts are drawn
 * independently, so each instrument's open quantity does not net to zero; this class sums it (exactly,
 * in tenths of a contract, the generator's granularity) and gives the opposite quantity to liquidity
 * provider accounts, the market makers and house of the venue. Afterwards every instrument's quantities
 * sum to 0 over all accounts, and the exchange-wide P&L of any joint scenario, before collateral, is 0.
 *
 * <p>Liquidity providers are the last {@link #providerCount} account ids of the exchange, grouped by the
 * margin currency the instruments need: one USD family for linear instruments, one coin family per coin
 * for its inverse instruments (a coin account holds only its own coin's inverse instruments, §3.4). Each
 * family has {@link #perFamily} accounts; an instrument goes to one of them by a hash of its id.
 */
public final class ClosingSide implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Accounts per 1-in-this-many customers are providers, per family (at least one). */
  static final long CUSTOMERS_PER_PROVIDER = 250_000;

  /** A provider's equity as a multiple of its IM: a well-funded house, never in a margin call. */
  static final double PROVIDER_FUNDING = 1.5;

  /** Net open quantity per instrument id, in tenths of a contract. */
  private final Map<String, Long> netTenths = new HashMap<>();

  /** Adds one account's positions to the net open quantity. */
  public ClosingSide add(Account account) {
    for (Position p : account.positions()) {
      add(p.instrumentId(), Math.round(p.quantity() * 10));
    }
    return this;
  }

  /** Adds {@code tenths} tenths of a contract of {@code instrumentId}. */
  public ClosingSide add(String instrumentId, long tenths) {
    netTenths.merge(instrumentId, tenths, Long::sum);
    return this;
  }

  /** The net open quantity of {@code instrumentId} in contracts (0 when none is open). */
  public double net(String instrumentId) {
    return netTenths.getOrDefault(instrumentId, 0L) / 10.0;
  }

  /** Accounts per margin-currency family for an exchange of {@code accounts} accounts. */
  public static int perFamily(long accounts) {
    return (int) Math.max(1, accounts / CUSTOMERS_PER_PROVIDER);
  }

  /** The margin-currency families of {@code book}: "USD" for linear instruments, each coin with inverse ones, sorted. */
  public static List<String> families(ValuedBook book) {
    return book.instruments().stream().map(ClosingSide::family).distinct().sorted().toList();
  }

  /** Liquidity provider accounts of an exchange of {@code accounts} accounts on {@code book}. */
  public static int providerCount(ValuedBook book, long accounts) {
    return families(book).size() * perFamily(accounts);
  }

  private static String family(Instrument i) {
    return i.isInverse() ? i.underlying() : "USD";
  }

  /**
   * The provider accounts, ids {@code firstIndex} onwards in family order, holding minus the net open
   * quantity of every instrument (futures entered at the index), funded at {@link #PROVIDER_FUNDING}×IM.
   * A family whose instruments are all flat still gets its accounts (funded with a small balance), so the
   * account count is fixed by the exchange size alone.
   */
  public List<Account> providers(AccountGenerator generator, ValuedBook book, long firstIndex, long accounts, long seed) {
    int perFamily = perFamily(accounts);
    List<String> families = families(book);
    Map<Integer, List<Position>> legs = new TreeMap<>();
    for (Instrument i : book.instruments()) {
      long tenths = netTenths.getOrDefault(i.id(), 0L);
      if (tenths == 0) {
        continue;
      }
      int slot = families.indexOf(family(i)) * perFamily + Math.floorMod(i.id().hashCode(), perFamily);
      double entry = i.isOption() ? Double.NaN : book.spot(book.underlyingIndexOf(i.underlying()));
      legs.computeIfAbsent(slot, k -> new ArrayList<>()).add(new Position(i.id(), -tenths / 10.0, entry));
    }
    List<Account> out = new ArrayList<>(families.size() * perFamily);
    for (int slot = 0; slot < families.size() * perFamily; slot++) {
      long index = firstIndex + slot;
      Account draft = new Account(AccountGenerator.accountId(index), "HOUSE", "PORTFOLIO", families.get(slot / perFamily),
          legs.getOrDefault(slot, List.of()), List.of());
      out.add(generator.fund(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index), draft, PROVIDER_FUNDING));
    }
    return out;
  }
}
