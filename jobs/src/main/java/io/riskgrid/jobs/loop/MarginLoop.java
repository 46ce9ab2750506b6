package io.riskgrid.jobs.loop;

import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountValuation;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.MarginCalculator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Stage 2 of DESIGN §2, the one loop every job margins accounts with: a partition's accounts go
 * through a {@link MarginCalculator} in batches of up to {@value #BATCH} (one kernel call per batch), on the
 * kernel the executor chose for itself ({@link ExecutorKernel}), and each (account, margin) result goes
 * to the job's {@link Sink}, which turns it into the job's rows. Made on the driver; after the job's
 * first action {@link #kernelsUsed()} says which kernels the tasks ran, for {@code runs}.
 */
public final class MarginLoop {
  /** Accounts per kernel call at most: big enough to amortise, small enough to stay in cache-sized buffers. */
  public static final int BATCH = 512;
  /**
   * Bytes of kernel output a batch may fill: the batch's risk arrays are zeroed, accumulated and read
   * back by the rules, all in cache when they fit. At 35 scenarios × 3 underlyings 512 accounts take
   * 430 KB; at 3,063 joint stress windows one account takes 73 KB, so a 512-account batch (37 MB) went
   * to memory three times over.
   */
  static final long BATCH_OUTPUT_BYTES = 2L << 20;

  /**
   * Accounts per kernel call for risk arrays of {@code width} doubles on {@code kernel}: on the host
   * kernels {@link #BATCH}, fewer for wide grids (at least 8); on the GPU always {@link #BATCH}, where a
   * launch needs the cells (DESIGN §7.6: 1.5M per underlying at 3,000 scenarios) and the cache is not the
   * host's.
   */
  static int batchFor(int width, String kernel) {
    if ("cuda".equals(kernel)) {
      return BATCH;
    }
    return (int) Math.max(8, Math.min(BATCH, BATCH_OUTPUT_BYTES / (8L * Math.max(1, width))));
  }

  private final Kernels.Choice driverChoice;
  private final CollectionAccumulator<String> kernelsUsed;

  private MarginLoop(Kernels.Choice driverChoice, CollectionAccumulator<String> kernelsUsed) {
    this.driverChoice = driverChoice;
    this.kernelsUsed = kernelsUsed;
  }

  /** A loop for {@code kernel}: its requested name ({@code auto}, {@code cuda}, ...) is resolved again in each task. */
  public static MarginLoop on(SparkSession spark, Kernels.Choice kernel) {
    return new MarginLoop(kernel, spark.sparkContext().collectionAccumulator("riskgrid kernels"));
  }

  /** The accounts of {@code items} margined on the sinks' book, as the rows each partition's sink emits (lazy). */
  public <T> JavaRDD<T> margin(JavaRDD<AccountInputs.Item> items, Sinks<T> sinks) {
    return margin(items, sinks, null);
  }

  /**
   * As {@link #margin(JavaRDD, Sinks)}, except that the accounts {@code diversion} takes are not margined
   * but come out as the rows it makes of them, in input order among the sink's: one pass over the input
   * serves both, where a job that margins some accounts here and the rest elsewhere (stress moves the
   * accounts of a shared member to one partition) would otherwise read its input twice.
   */
  public <T> JavaRDD<T> margin(JavaRDD<AccountInputs.Item> items, Sinks<T> sinks, Diversion<T> diversion) {
    return items.mapPartitions(new Partition<>(driverChoice.requested(), kernelsUsed, sinks, diversion));
  }

  /** A job's choice of the accounts it takes out of the loop, made on the driver and run in the tasks. */
  public interface Diversion<T> extends Serializable {
    /** The row that stands for {@code account} instead of its margin, or null to margin it. */
    T divert(Account account);
  }

  /** The kernels the tasks ran so far, or the driver's choice when none has run. */
  public KernelsUsed kernelsUsed() {
    return KernelsUsed.of(kernelsUsed.value(), driverChoice);
  }

  /** A job's side of the loop: made on the driver, serialised with the tasks, opened once per partition. */
  public interface Sinks<T> extends Serializable {
    /** The stage-1 book the accounts are margined on, normally a broadcast value. */
    InstrumentBook book();

    /** Whether the margins carry their contributions (DESIGN §7.3); they cost a second pass per account. */
    default boolean contributions() {
      return false;
    }

    /**
     * Whether the margins carry their liquidation distances and the sink gets each account's P&amp;L over
     * the joint index moves (DESIGN §7.5); one more aggregation per batch.
     */
    default boolean liquidation() {
      return false;
    }

    /**
     * Whether the margins carry their risk arrays ({@link io.riskgrid.margin.UnderlyingMargin#riskArray()};
     * empty otherwise, unless an entry is not finite). A sink that reads them, as stress does, keeps the
     * default; one that never does spares a copy of 24 KB per account and underlying at 3,000 windows.
     */
    default boolean riskArrays() {
      return true;
    }

    /**
     * Whether the sink reads each account's valuation ({@link Sink#valued}, from
     * {@link MarginCalculator#valueAll}) rather than its margin: a stress run, which reads an account's
     * equity and P&amp;L per scenario but none of its margin figures, and at thousands of joint windows
     * would pay for the scan of each only to drop it.
     */
    default boolean valuations() {
      return false;
    }

    /** The sink of one partition, on the executor that runs it. */
    Sink<T> open(int partition);
  }

  /**
   * One partition's results; {@code out} takes the rows the job emits for them. Accounts come in input
   * order; an orphan comes when the batch it falls in is read, before that batch's accounts.
   */
  public interface Sink<T> {
    /**
     * One account and its margin, the {@code k}-th of {@code batch}, the calculator's last batch, from
     * which a sink reads what else it needs of the account during the call: its positions' book rows
     * ({@link MarginCalculator#instrumentRows}), its P&amp;L over the joint index moves
     * ({@link MarginCalculator#movePnl}, when {@link Sinks#liquidation()}) or per scenario of a joint set
     * ({@link MarginCalculator#scenarioPnl}). The sink must not margin anything with it.
     */
    void margined(Account account, AccountMargin margin, MarginCalculator batch, int k, Consumer<T> out);

    /**
     * One account and its valuation, the {@code k}-th of {@code batch}, in place of {@link #margined} when
     * the sinks ask for {@link Sinks#valuations()}; as there, the batch gives what else the sink reads.
     */
    default void valued(Account account, AccountValuation valuation, MarginCalculator batch, int k, Consumer<T> out) {
      throw new UnsupportedOperationException("this sink reads margins; its Sinks.valuations() must be false");
    }

    /** An input row that belongs to no account; skipped unless the job reports it. */
    default void orphan(Issue orphan, Consumer<T> out) {}

    /** After the partition's last account: where a job sends partition-wide sums to the driver. */
    default void finish(Consumer<T> out) {}
  }

  /** The task: chooses the kernel on this executor, then streams the partition through the batches. */
  private static final class Partition<T> implements FlatMapFunction<Iterator<AccountInputs.Item>, T> {
    private static final long serialVersionUID = 1L;
    private final String requestedKernel;
    private final CollectionAccumulator<String> kernelsUsed;
    private final Sinks<T> sinks;
    private final Diversion<T> diversion;

    Partition(String requestedKernel, CollectionAccumulator<String> kernelsUsed, Sinks<T> sinks,
        Diversion<T> diversion) {
      this.requestedKernel = requestedKernel;
      this.kernelsUsed = kernelsUsed;
      this.sinks = sinks;
      this.diversion = diversion;
    }

    @Override
    public Iterator<T> call(Iterator<AccountInputs.Item> items) {
      Kernels.Choice chosen = ExecutorKernel.forThisTask(requestedKernel);
      kernelsUsed.add(chosen.kernel().name() + "\t" + chosen.reason());
      MarginCalculator calculator = new MarginCalculator(sinks.book(), chosen.kernel(), sinks.contributions(),
          sinks.liquidation(), sinks.riskArrays());
      int batchSize = batchFor(sinks.book().valued().pnl().width(), chosen.kernel().name());
      return new Batches<>(items, calculator, sinks.open(TaskContext.getPartitionId()), batchSize, sinks.valuations(),
          diversion);
    }
  }

  /** Pulls a batch of accounts when the rows of the previous one are consumed, so a partition streams. */
  static final class Batches<T> implements Iterator<T> {
    private final Iterator<AccountInputs.Item> items;
    private final MarginCalculator calculator;
    private final Sink<T> sink;
    private final int batchSize;
    private final boolean valuations;
    private final Diversion<T> diversion;
    private final List<Account> batch = new ArrayList<>(BATCH);
    private final List<T> ready = new ArrayList<>(BATCH);
    private final Consumer<T> emit = ready::add;
    private int next;
    private boolean finished;

    Batches(Iterator<AccountInputs.Item> items, MarginCalculator calculator, Sink<T> sink) {
      this(items, calculator, sink, BATCH, false, null);
    }

    /**
     * {@code valuations}: the sink takes {@link Sink#valued} rather than {@link Sink#margined};
     * {@code diversion}: the accounts taken out of the loop, or null for none.
     */
    Batches(Iterator<AccountInputs.Item> items, MarginCalculator calculator, Sink<T> sink, int batchSize,
        boolean valuations, Diversion<T> diversion) {
      if (batchSize < 1 || batchSize > BATCH) {
        throw new IllegalArgumentException("batch size must be 1.." + BATCH + ", got " + batchSize);
      }
      this.items = items;
      this.calculator = calculator;
      this.sink = sink;
      this.batchSize = batchSize;
      this.valuations = valuations;
      this.diversion = diversion;
    }

    @Override
    public boolean hasNext() {
      while (next == ready.size()) {
        ready.clear();
        next = 0;
        if (items.hasNext()) {
          marginNextBatch();
        } else if (!finished) {
          finished = true;
          sink.finish(emit);
        } else {
          return false;
        }
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    private void marginNextBatch() {
      batch.clear();
      while (batch.size() < batchSize && items.hasNext()) {
        AccountInputs.Item item = items.next();
        if (item.account() != null) {
          T diverted = diversion == null ? null : diversion.divert(item.account());
          if (diverted == null) {
            batch.add(item.account());
          } else {
            emit.accept(diverted);
          }
        } else {
          sink.orphan(item.orphan(), emit);
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      if (valuations) {
        List<AccountValuation> values = calculator.valueAll(batch);
        for (int k = 0; k < batch.size(); k++) {
          sink.valued(batch.get(k), values.get(k), calculator, k, emit);
        }
        return;
      }
      List<AccountMargin> margins = calculator.marginAll(batch);
      for (int k = 0; k < batch.size(); k++) {
        sink.margined(batch.get(k), margins.get(k), calculator, k, emit);
      }
    }
  }
}
