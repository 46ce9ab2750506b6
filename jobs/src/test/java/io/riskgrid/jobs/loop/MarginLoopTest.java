package io.riskgrid.jobs.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.AccountGenerator;
import io.riskgrid.jobs.generate.ExchangeUniverse;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.AccountValuation;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The stage-2 loop of one partition, without Spark: batches, orphans, the end of the partition. */
class MarginLoopTest {
  private static final InstrumentBook BOOK;
  private static final List<Account> ACCOUNTS = new ArrayList<>();

  static {
    ExchangeUniverse universe = ExchangeUniverse.of(LocalDate.of(2026, 1, 5));
    BOOK = StageOne.book(universe.market(), universe.instruments(), PolicyLoader.preset("deribit-like"),
        ScalarKernel.INSTANCE);
    AccountGenerator generator = new AccountGenerator(7, BOOK, new MarginCalculator(BOOK, ScalarKernel.INSTANCE));
    for (long i = 0; i < 1_200; i++) {
      ACCOUNTS.add(generator.generate(i));
    }
    Account first = ACCOUNTS.get(0);
    // One account the engine rejects (an instrument not in the book): its instrument rows are null.
    ACCOUNTS.set(600, new Account("REJECTED-1", null, "PORTFOLIO", "USD",
        List.of(new Position("NO-SUCH-INSTRUMENT", 1.0, 1.0)), first.collateral()));
  }

  /** Records what the loop hands over, as text: A:id:status, O:key, F (the partition's end). */
  private static final class Recording implements MarginLoop.Sink<String> {
    final List<AccountMargin> margins = new ArrayList<>();
    final List<int[]> rows = new ArrayList<>();

    @Override
    public void margined(Account account, AccountMargin margin, MarginCalculator batch, int k, Consumer<String> out) {
      int[] instrumentRows = batch.instrumentRows(k);
      margins.add(margin);
      rows.add(instrumentRows == null ? null : instrumentRows.clone());
      out.accept("A:" + account.accountId() + ":" + margin.status());
    }

    @Override
    public void orphan(Issue orphan, Consumer<String> out) {
      out.accept("O:" + orphan.key());
    }

    @Override
    public void finish(Consumer<String> out) {
      out.accept("F");
    }
  }

  private static AccountInputs.Item orphan(String key) {
    return new AccountInputs.Item(null, new Issue(AccountStatus.REJECTED, "positions", key, "no such account"));
  }

  @Test
  void everyAccountIsMarginedOnceInOrderAsTheEngineMarginsItAloneAndThePartitionEndsOnce() {
    List<AccountInputs.Item> items = new ArrayList<>();
    items.add(orphan("X0/BTC-PERPETUAL"));
    for (int k = 0; k < ACCOUNTS.size(); k++) {
      items.add(new AccountInputs.Item(ACCOUNTS.get(k), null));
      if (k == 700) {
        items.add(orphan("X1/BTC-PERPETUAL"));
      }
    }
    int[] pulled = new int[1];
    Iterator<AccountInputs.Item> counted = new Iterator<>() {
      private final Iterator<AccountInputs.Item> all = items.iterator();

      @Override
      public boolean hasNext() {
        return all.hasNext();
      }

      @Override
      public AccountInputs.Item next() {
        pulled[0]++;
        return all.next();
      }
    };
    Recording sink = new Recording();
    Iterator<String> out = new MarginLoop.Batches<>(counted, new MarginCalculator(BOOK, ScalarKernel.INSTANCE), sink);
    List<String> emitted = new ArrayList<>();
    emitted.add(out.next());
    assertEquals(MarginLoop.BATCH + 1, pulled[0], "the first batch, and the orphan before it, are all it reads first");
    out.forEachRemaining(emitted::add);

    assertEquals(List.of("O:X0/BTC-PERPETUAL", "O:X1/BTC-PERPETUAL"),
        emitted.stream().filter(e -> e.startsWith("O:")).toList());
    assertEquals(ACCOUNTS.stream().map(Account::accountId).toList(),
        emitted.stream().filter(e -> e.startsWith("A:")).map(e -> e.split(":")[1]).toList());
    assertEquals("F", emitted.get(emitted.size() - 1));
    assertEquals(1, emitted.stream().filter("F"::equals).count());
    // The second orphan falls in the second batch (accounts 512..1023): it comes before that batch's accounts.
    assertEquals(emitted.indexOf("A:" + ACCOUNTS.get(MarginLoop.BATCH).accountId() + ":"
        + sink.margins.get(MarginLoop.BATCH).status()) - 1, emitted.indexOf("O:X1/BTC-PERPETUAL"));

    MarginCalculator alone = new MarginCalculator(BOOK, ScalarKernel.INSTANCE);
    for (int k = 0; k < ACCOUNTS.size(); k++) {
      AccountMargin expected = alone.margin(ACCOUNTS.get(k));
      AccountMargin actual = sink.margins.get(k);
      assertEquals(expected.status(), actual.status(), expected.accountId());
      assertEquals(expected.im(), actual.im(), expected.accountId());
      assertEquals(expected.mm(), actual.mm(), expected.accountId());
      assertEquals(expected.equity(), actual.equity(), expected.accountId());
      if (expected.isValid()) {
        assertEquals(ACCOUNTS.get(k).positions().size(), sink.rows.get(k).length, expected.accountId());
      } else {
        assertNull(sink.rows.get(k), expected.accountId());
      }
    }
    assertEquals(AccountStatus.REJECTED, sink.margins.get(600).status());
    assertTrue(sink.margins.stream().filter(AccountMargin::isValid).count() > 1_000);
  }

  @Test
  void anEmptyPartitionOrOneOfOrphansOnlyStillEndsOnce() {
    Recording sink = new Recording();
    List<String> emitted = new ArrayList<>();
    new MarginLoop.Batches<>(List.<AccountInputs.Item>of().iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE),
        sink).forEachRemaining(emitted::add);
    assertEquals(List.of("F"), emitted);
    emitted.clear();
    new MarginLoop.Batches<>(List.of(orphan("X2/ETH-PERPETUAL")).iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE),
        sink).forEachRemaining(emitted::add);
    assertEquals(List.of("O:X2/ETH-PERPETUAL", "F"), emitted);
  }

  @Test
  void hostBatchesHoldAtMostTwoMegabytesOfRiskArraysAndTheGpuKeepsFullBatches() {
    assertEquals(MarginLoop.BATCH, MarginLoop.batchFor(3 * 35, "simd"), "deribit-like: 512 × 105 doubles is 430 KB");
    assertEquals(28, MarginLoop.batchFor(3 * 3063, "simd"), "hist-1d: 2 MB / (9,189 × 8 bytes)");
    assertEquals(28, MarginLoop.batchFor(3 * 3063, "scalar"));
    assertEquals(8, MarginLoop.batchFor(1_000_000, "simd"), "never fewer than 8 accounts a call");
    assertEquals(MarginLoop.BATCH, MarginLoop.batchFor(3 * 3063, "cuda"));
    assertThrows(IllegalArgumentException.class, () -> new MarginLoop.Batches<>(List.<AccountInputs.Item>of().iterator(),
        new MarginCalculator(BOOK, ScalarKernel.INSTANCE), new Recording(), 0, false, null));
  }

  @Test
  void aSmallBatchSizeGivesTheSameMarginsInTheSameOrder() {
    Recording big = new Recording();
    Recording small = new Recording();
    List<AccountInputs.Item> items = ACCOUNTS.stream().map(a -> new AccountInputs.Item(a, null)).toList();
    new MarginLoop.Batches<>(items.iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE), big).forEachRemaining(x -> { });
    new MarginLoop.Batches<>(items.iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE), small, 7, false, null)
        .forEachRemaining(x -> { });
    assertEquals(big.margins.size(), small.margins.size());
    for (int k = 0; k < big.margins.size(); k++) {
      AccountMargin a = big.margins.get(k);
      AccountMargin b = small.margins.get(k);
      assertEquals(a.accountId(), b.accountId());
      assertEquals(a.status(), b.status());
      assertEquals(a.im(), b.im(), a.accountId()); // null for REJECTED and DATA_ERROR accounts
      assertEquals(a.mm(), b.mm(), a.accountId());
      assertEquals(a.equity(), b.equity(), a.accountId());
      for (int u = 0; u < a.byUnderlying().size(); u++) {
        assertArrayEquals(a.byUnderlying().get(u).riskArray(), b.byUnderlying().get(u).riskArray(), a.accountId());
      }
    }
  }

  @Test
  void withValuationsTheSinkGetsEachAccountsValuationAsItsMarginImplies() {
    List<AccountInputs.Item> items = ACCOUNTS.stream().map(a -> new AccountInputs.Item(a, null)).toList();
    List<AccountValuation> values = new ArrayList<>();
    MarginLoop.Sink<String> valuing = new MarginLoop.Sink<>() {
      @Override
      public void margined(Account account, AccountMargin margin, MarginCalculator batch, int k, Consumer<String> out) {
        throw new AssertionError("a sink that asked for valuations got a margin");
      }

      @Override
      public void valued(Account account, AccountValuation valuation, MarginCalculator batch, int k,
          Consumer<String> out) {
        values.add(valuation);
        out.accept("V:" + account.accountId());
      }
    };
    List<String> out = new ArrayList<>();
    new MarginLoop.Batches<>(items.iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE), valuing, 7, true, null)
        .forEachRemaining(out::add);
    assertEquals(ACCOUNTS.size(), out.size(), "one row per account, in order");
    assertEquals("V:" + ACCOUNTS.get(599).accountId(), out.get(599));
    MarginCalculator alone = new MarginCalculator(BOOK, ScalarKernel.INSTANCE);
    int invalid = 0;
    for (int k = 0; k < ACCOUNTS.size(); k++) {
      AccountMargin m = alone.margin(ACCOUNTS.get(k));
      assertEquals(AccountValuation.of(m), values.get(k), ACCOUNTS.get(k).accountId());
      invalid += m.isValid() ? 0 : 1;
    }
    assertEquals(1, invalid, "REJECTED-1 is the one invalid account, and it is reported as such");
  }

  @Test
  void aSinkThatReadsMarginsRefusesValuations() {
    List<AccountInputs.Item> items = ACCOUNTS.subList(0, 3).stream().map(a -> new AccountInputs.Item(a, null)).toList();
    Iterator<String> out = new MarginLoop.Batches<>(items.iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE),
        new Recording(), 7, true, null);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, out::hasNext);
    assertTrue(e.getMessage().contains("valuations()"), e.getMessage());
  }

  @Test
  void divertedAccountsComeOutAsTheirOwnRowsInInputOrderAndAreNotMargined() {
    List<AccountInputs.Item> items = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      items.add(new AccountInputs.Item(ACCOUNTS.get(k), null));
    }
    items.add(50, orphan("X5/BTC-PERPETUAL"));
    Recording sink = new Recording();
    MarginLoop.Diversion<String> everyThird = a -> Integer.parseInt(a.accountId().replaceAll("[^0-9]", "")) % 3 == 0
        ? "D:" + a.accountId() : null;
    List<String> out = new ArrayList<>();
    new MarginLoop.Batches<>(items.iterator(), new MarginCalculator(BOOK, ScalarKernel.INSTANCE), sink, 7, false,
        everyThird).forEachRemaining(out::add);
    List<String> expected = new ArrayList<>();
    MarginCalculator alone = new MarginCalculator(BOOK, ScalarKernel.INSTANCE);
    List<String> margined = new ArrayList<>();
    for (AccountInputs.Item item : items) {
      if (item.account() == null) {
        expected.add("O:" + item.orphan().key());
      } else if (everyThird.divert(item.account()) != null) {
        expected.add("D:" + item.account().accountId());
      } else {
        expected.add("A:" + item.account().accountId() + ":" + alone.margin(item.account()).status());
        margined.add(item.account().accountId());
      }
    }
    expected.add("F");
    // Within a batch the orphans and diverted rows come as the batch is read, before its margins.
    assertEquals(expected.stream().sorted().toList(), out.stream().sorted().toList());
    assertEquals(margined, sink.margins.stream().map(AccountMargin::accountId).toList(), "the sink sees the rest, in order");
    assertTrue(margined.size() > 50 && margined.size() < 80, margined.size() + " of 100 margined");
    List<String> diverted = out.stream().filter(r -> r.startsWith("D:")).toList();
    assertEquals(expected.stream().filter(r -> r.startsWith("D:")).toList(), diverted, "diverted rows in input order");
  }
}
