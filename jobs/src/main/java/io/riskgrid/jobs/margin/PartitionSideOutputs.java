package io.riskgrid.jobs.margin;

import io.riskgrid.margin.LiquidationCurve;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.spark.sql.Row;
import org.apache.spark.util.AccumulatorV2;

/**
 * The small outputs of the margin pass that are not {@code margins} rows: each partition's exposure
 * sums and (up to a cap) its rejects, carried to the driver by an accumulator, so the run writes
 * margins in one pass without caching every result row for the two small tables. Keyed by partition
 * and replaced, not added, so a partition computed twice (a retried or speculative task) counts once.
 * A partition with more rejects than {@link #ISSUES_PER_PARTITION} says so instead, and the job then
 * writes rejects from a second pass, so a bad-data day never moves rejects per account to the driver.
 */
final class PartitionSideOutputs extends AccumulatorV2<PartitionSideOutputs.Partition, Map<Integer, PartitionSideOutputs.Partition>> {
  private static final long serialVersionUID = 1L;
  static final int ISSUES_PER_PARTITION = 1_000;

  /**
   * One partition's outputs: exposure rows ({@link ExposureSums#ROW}), issue rows ({@link MarginRows#ISSUE})
   * and its accounts' part of the liquidation curve.
   */
  record Partition(int index, List<Row> exposures, List<Row> issues, boolean issuesOverflowed,
      LiquidationCurve liquidationCurve) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Concurrent: the driver merges task results while a listener may read the value. */
  private final ConcurrentSkipListMap<Integer, Partition> byPartition = new ConcurrentSkipListMap<>();

  @Override
  public boolean isZero() {
    return byPartition.isEmpty();
  }

  @Override
  public AccumulatorV2<Partition, Map<Integer, Partition>> copy() {
    PartitionSideOutputs copy = new PartitionSideOutputs();
    copy.byPartition.putAll(byPartition);
    return copy;
  }

  @Override
  public void reset() {
    byPartition.clear();
  }

  @Override
  public void add(Partition p) {
    byPartition.put(p.index(), p);
  }

  @Override
  public void merge(AccumulatorV2<Partition, Map<Integer, Partition>> other) {
    byPartition.putAll(other.value());
  }

  @Override
  public Map<Integer, Partition> value() {
    return byPartition;
  }

  /** True when some partition had more rejects than it could carry. */
  static boolean overflowed(Map<Integer, Partition> value) {
    return value.values().stream().anyMatch(Partition::issuesOverflowed);
  }

  static List<Row> exposures(Map<Integer, Partition> value) {
    List<Row> rows = new ArrayList<>();
    value.values().forEach(p -> rows.addAll(p.exposures()));
    return rows;
  }

  /** The exchange liquidation curve: the partitions' parts summed. */
  static LiquidationCurve liquidationCurve(Map<Integer, Partition> value) {
    LiquidationCurve curve = new LiquidationCurve();
    value.values().forEach(p -> curve.add(p.liquidationCurve()));
    return curve;
  }

  static List<Row> issues(Map<Integer, Partition> value) {
    List<Row> rows = new ArrayList<>();
    value.values().forEach(p -> rows.addAll(p.issues()));
    return rows;
  }
}
