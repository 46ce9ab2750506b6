package io.riskgrid.jobs.backtest;

import io.riskgrid.InvalidInputException;
import io.riskgrid.backtest.history.BacktestPortfolio;
import io.riskgrid.backtest.history.BookConverter;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.InputTables;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code backtest --book}: the accounts of one date D, read through the margin run's own input layer
 * ({@link AccountInputs}, {@link MarketTables}), all of them or a seeded sample, converted to backtest portfolios
 * by {@link BookConverter} on D's market and instruments (DESIGN §3.6).
 *
 * <p>The sample of N is the N accounts with the smallest {@link #sampleKey} (ties by account_id): a pure function of
 * the seed and the ids, so the same seed draws the same accounts whatever the layout or partitioning of the tables,
 * and a larger N contains every account of a smaller one.
 */
public final class BookAccounts {
  private BookAccounts() {}

  /**
   * The book of D as backtested.
   *
   * @param accountRows   rows of {@code accounts} on D
   * @param sample        the requested sample size, null for every account
   * @param seed          the seed of the sample
   * @param read          accounts read (the sample, or all)
   * @param portfolios    the converted accounts, in account_id order
   * @param unconverted   the accounts that could not be converted, each with its status and reason, in account_id
   *                      order
   * @param orphanRows    position and collateral rows of D that belong to no account (counted without --sample only;
   *                      -1 otherwise); the margin run lists them in {@code rejects}
   * @param standardAccounts converted accounts whose own mode is STANDARD (backtested on their portfolio margin)
   */
  public record Book(LocalDate asOf, long accountRows, Integer sample, long seed, long read,
      List<BacktestPortfolio> portfolios, List<BookConverter.Outcome> unconverted, long orphanRows,
      long standardAccounts) implements Serializable {}

  /** Reads, samples and converts the accounts of {@code asOf} under {@code policy}. */
  public static Book read(Warehouse warehouse, LocalDate asOf, Integer sample, long seed, MarginPolicy policy,
      RiskKernel kernel) {
    if (sample != null && sample < 1) {
      throw new InvalidInputException("--sample", "must be >= 1 account, got " + sample);
    }
    if (!warehouse.exists(InputTables.ACCOUNTS)) {
      throw new InvalidInputException("--as-of", "the warehouse has no accounts table; run 'riskgrid generate --as-of "
          + asOf + "' or 'riskgrid import book' first");
    }
    long rows = warehouse.read(InputTables.ACCOUNTS, asOf).count();
    if (rows == 0) {
      throw new InvalidInputException("--as-of", "the accounts table has no rows for " + asOf
          + "; give a date that was generated or imported");
    }
    MarketTables.MarketOfDate market = MarketTables.read(warehouse, asOf);
    AccountInputs.Stream stream = AccountInputs.stream(warehouse, asOf);
    List<Account> accounts;
    long orphans = -1;
    if (sample == null) {
      List<AccountInputs.Item> items = stream.items().collect();
      accounts = new ArrayList<>();
      orphans = 0;
      for (AccountInputs.Item i : items) {
        if (i.account() == null) {
          orphans++;
        } else {
          accounts.add(i.account());
        }
      }
    } else {
      final long s = seed;
      accounts = new ArrayList<>(stream.items().filter(i -> i.account() != null).map(AccountInputs.Item::account)
          .takeOrdered(sample, new BySampleKey(s)));
    }
    accounts.sort(Comparator.comparing(a -> String.valueOf(a.accountId())));
    BookConverter converter = new BookConverter(market.snapshot(), market.instruments().instruments(),
        market.instruments().malformed(), policy, kernel);
    List<BacktestPortfolio> portfolios = new ArrayList<>();
    List<BookConverter.Outcome> unconverted = new ArrayList<>();
    long standard = 0;
    for (BookConverter.Outcome o : converter.convert(accounts)) {
      if (o.converted()) {
        portfolios.add(o.portfolio());
        standard += "STANDARD".equals(o.marginAtD().marginMode()) ? 1 : 0;
      } else {
        unconverted.add(o);
      }
    }
    if (portfolios.isEmpty()) {
      throw new InvalidInputException("--as-of", "none of the " + accounts.size() + " accounts read on " + asOf
          + " can be converted to a backtest portfolio; first reason: " + unconverted.get(0).accountId() + ": "
          + unconverted.get(0).status() + ": " + unconverted.get(0).reason());
    }
    return new Book(asOf, rows, sample, seed, accounts.size(), portfolios, unconverted, orphans, standard);
  }

  /**
   * The sample key of an account: splitmix64's finalizer of (seed XOR the 64-bit FNV-1a hash of the id's UTF-8
   * bytes), compared as unsigned.
   */
  static long sampleKey(long seed, String accountId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : String.valueOf(accountId).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    long z = seed ^ h;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Accounts by sample key, then id. */
  static final class BySampleKey implements Comparator<Account>, Serializable {
    private static final long serialVersionUID = 1L;
    private final long seed;

    BySampleKey(long seed) {
      this.seed = seed;
    }

    @Override
    public int compare(Account a, Account b) {
      int c = Long.compareUnsigned(sampleKey(seed, a.accountId()), sampleKey(seed, b.accountId()));
      return c != 0 ? c : String.valueOf(a.accountId()).compareTo(String.valueOf(b.accountId()));
    }
  }
}
