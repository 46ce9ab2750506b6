package io.riskgrid.whatif;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage-1 books of a {@link WhatIfService}: what a request's account is margined on, cached per
 * market snapshot (by identity) and policy, so a warm call only aggregates and applies the rules.
 *
 * <p>Own books (the command line): a book of each request's instruments, cached by instrument list,
 * so an answer never depends on the requests before it. Shared books (a service): one book per market
 * and policy over every instrument definition seen with them, so an instrument is valued once per
 * market whatever account holds it (DESIGN §6: the stage-1 P&amp;L is cached per market snapshot). New
 * definitions wait as pending until there are enough of them (an eighth of the book, at least
 * {@link #MIN_GROWTH}) or enough requests needed them (a 64th of the book, at least {@link #MIN_MISSES})
 * to revalue the book: each revaluation of n instruments follows n/8 new instruments or n/64 requests,
 * so it costs at most 64 instrument valuations per request. Meanwhile, and for a definition that
 * conflicts with the shared book's, a request gets an own book. Not thread-safe.
 */
final class StageOneBooks {
  private static final int OWN_BOOKS = 16;
  private static final int SHARED_MARKETS = 4;
  private static final int MIN_GROWTH = 16;
  private static final int MIN_MISSES = 32;
  private static final int MAX_SHARED_INSTRUMENTS = 50_000;

  /** What an own book depends on: the market snapshot, the policy and the instruments. */
  private record OwnKey(MarketSnapshot market, String policyHash, List<Instrument> instruments) {}

  private record SharedKey(MarketSnapshot market, String policyHash) {}

  private static final class SharedBook {
    MarginCalculator calculator;
    final Map<String, Instrument> pending = new LinkedHashMap<>();
    int misses;
  }

  private final RiskKernel kernel;
  private final boolean shareBooks;
  private final Map<OwnKey, MarginCalculator> own = new BoundedCache<>(OWN_BOOKS);
  private final Map<SharedKey, SharedBook> shared = new BoundedCache<>(SHARED_MARKETS);

  StageOneBooks(RiskKernel kernel, boolean shareBooks) {
    this.kernel = kernel;
    this.shareBooks = shareBooks;
  }

  /**
   * The book to margin an account holding {@code instruments} on: the shared one when it holds each
   * with the same definition (growing it first when enough definitions are pending), else an own book.
   */
  MarginCalculator calculator(MarketSnapshot market, MarginPolicy policy, Map<String, Instrument> instruments) {
    if (!shareBooks) {
      return ownCalculator(market, policy, instruments);
    }
    SharedBook book = sharedBook(market, policy);
    ValuedBook valued = book.calculator == null ? null : book.calculator.book().valued();
    List<Instrument> added = new ArrayList<>();
    boolean covered = valued != null;
    for (Instrument ins : instruments.values()) {
      int row = valued == null ? -1 : valued.indexOf(ins.id());
      Instrument known = row >= 0 ? valued.instrument(row) : book.pending.get(ins.id());
      covered &= row >= 0;
      if (known == null) {
        added.add(ins);
      } else if (!known.equals(ins)) {
        return ownCalculator(market, policy, instruments);
      }
    }
    if (covered) {
      return book.calculator;
    }
    int size = valued == null ? 0 : valued.instrumentCount();
    added.forEach(i -> book.pending.put(i.id(), i));
    if (size + book.pending.size() > MAX_SHARED_INSTRUMENTS) {
      book.pending.clear();
      return ownCalculator(market, policy, instruments);
    }
    book.misses++;
    if (book.pending.size() < Math.max(MIN_GROWTH, size / 8) && book.misses < Math.max(MIN_MISSES, size / 64)) {
      return ownCalculator(market, policy, instruments);
    }
    return grow(book, market, policy);
  }

  /** Values the shared book of {@code market} and {@code policy} now, with every instrument seen under the policy. */
  void prepare(MarketSnapshot market, MarginPolicy policy) {
    if (shareBooks) {
      SharedBook book = sharedBook(market, policy);
      if (!book.pending.isEmpty()) {
        grow(book, market, policy);
      }
    }
  }

  /**
   * The shared book of a market and policy. A new one starts with every instrument of the latest book
   * of the same policy pending, so after a market swap the first request values the instruments seen so
   * far once, instead of the book growing again request by request.
   */
  private SharedBook sharedBook(MarketSnapshot market, MarginPolicy policy) {
    SharedKey key = new SharedKey(market, policy.hash());
    SharedBook book = shared.get(key);
    if (book == null) {
      book = new SharedBook();
      SharedBook latest = null;
      for (Map.Entry<SharedKey, SharedBook> e : shared.entrySet()) {
        if (e.getKey().policyHash().equals(policy.hash()) && e.getValue().calculator != null) {
          latest = e.getValue(); // access order: the last match is the most recently used
        }
      }
      if (latest != null) {
        for (Instrument i : latest.calculator.book().valued().instruments()) {
          book.pending.put(i.id(), i);
        }
        latest.pending.forEach(book.pending::putIfAbsent);
      }
      shared.put(key, book);
    }
    return book;
  }

  /** Revalues a shared book with its pending instruments. */
  private MarginCalculator grow(SharedBook book, MarketSnapshot market, MarginPolicy policy) {
    List<Instrument> all = new ArrayList<>();
    if (book.calculator != null) {
      all.addAll(book.calculator.book().valued().instruments());
    }
    all.addAll(book.pending.values());
    book.pending.clear();
    book.misses = 0;
    book.calculator = new MarginCalculator(InstrumentBook.build(market, all, policy, kernel), kernel, true, true);
    return book.calculator;
  }

  /** A book of the request's own instruments, cached by market, policy and instrument list. */
  private MarginCalculator ownCalculator(MarketSnapshot market, MarginPolicy policy, Map<String, Instrument> instruments) {
    OwnKey key = new OwnKey(market, policy.hash(), List.copyOf(instruments.values()));
    MarginCalculator calc = own.get(key);
    if (calc == null) {
      calc = new MarginCalculator(InstrumentBook.build(market, instruments.values(), policy, kernel), kernel, true, true);
      own.put(key, calc);
    }
    return calc;
  }
}
