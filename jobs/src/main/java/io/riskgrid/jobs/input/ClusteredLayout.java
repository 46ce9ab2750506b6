package io.riskgrid.jobs.input;

import io.riskgrid.jobs.spark.Concurrently;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides whether one date of {@code accounts}, {@code collateral} and {@code positions} is laid out
 * so that the margin job can group it without a shuffle (DESIGN §4), and if so, how: the files of
 * the three tables aligned into units of one contiguous account_id range.
 *
 * <p>The layout qualifies when, for each table: the Delta table has no deletion vectors and no column
 * mapping (its Parquet files are then exactly its rows); every file of the date holds only that date
 * (from the Parquet footers' statistics); no file is larger than {@code spark.sql.files.maxPartitionBytes}
 * (Spark then reads it as one partition); the files' account_id ranges are disjoint (every account
 * wholly in one file); and each positions and collateral file falls inside the range of one accounts
 * file, at most one per table. Sortedness inside a file cannot be seen in a footer: the merge checks it
 * row by row and fails loudly if a file is not sorted. Anything else takes the shuffle path, and the
 * reason is recorded in {@code runs}.
 */
public final class ClusteredLayout {
  static final String ACCOUNT_ID = "account_id";
  static final String AS_OF_DATE = "as_of_date";

  private ClusteredLayout() {}

  /** One Parquet file of a table with its account_id range. */
  record DataFile(String path, long bytes, String minAccount, String maxAccount, long rows) {}

  /** The files of one contiguous account range; a null path means the table has no rows there. */
  public record Unit(String accountsFile, String collateralFile, String positionsFile) {}

  /** The units in account order, or why the date cannot be read without a shuffle. */
  public record Plan(List<Unit> units, String reason) {
    public boolean clustered() {
      return units != null;
    }

    static Plan shuffle(String reason) {
      return new Plan(null, reason);
    }
  }

  public static Plan plan(SparkSession spark, Warehouse warehouse, LocalDate asOf) {
    long maxBytes = spark.sessionState().conf().filesMaxPartitionBytes();
    Configuration hadoop = spark.sessionState().newHadoopConf();
    List<Table> tables = List.of(InputTables.ACCOUNTS, InputTables.COLLATERAL, InputTables.POSITIONS);
    for (Table table : tables) {
      String unsupported = unsupportedFeature(warehouse, table);
      if (unsupported != null) {
        return Plan.shuffle(table.name() + " " + unsupported);
      }
    }
    // The three tables' file lists, then every footer, read concurrently: at 10M accounts that is about
    // 300 files, each a small read whose latency (a round trip on an object store) dominates.
    List<String[]> uris = Concurrently.map(tables, table -> warehouse.read(table).inputFiles());
    List<List<Object>> footers = new ArrayList<>();
    for (String[] ofTable : uris) {
      footers.add(Concurrently.map(List.of(ofTable), uri -> {
        try {
          return readFooter(hadoop, uri, asOf);
        } catch (NotClustered e) {
          return e;
        }
      }));
    }
    List<List<DataFile>> files = new ArrayList<>();
    for (int t = 0; t < tables.size(); t++) {
      Table table = tables.get(t);
      List<DataFile> ofDate = new ArrayList<>();
      for (int k = 0; k < footers.get(t).size(); k++) {
        String uri = uris.get(t)[k];
        Object read = footers.get(t).get(k);
        if (read instanceof NotClustered e) {
          return Plan.shuffle(table.name() + " file " + uri + ": " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Optional<DataFile> f = (Optional<DataFile>) read;
        if (f.isEmpty()) {
          continue;
        }
        if (f.get().bytes() > maxBytes) {
          return Plan.shuffle(table.name() + " file " + uri + " is " + f.get().bytes()
              + " bytes, more than spark.sql.files.maxPartitionBytes = " + maxBytes + ", so Spark would split it");
        }
        ofDate.add(f.get());
      }
      ofDate.sort(Comparator.comparing(DataFile::minAccount));
      for (int k = 1; k < ofDate.size(); k++) {
        if (ofDate.get(k - 1).maxAccount().compareTo(ofDate.get(k).minAccount()) >= 0) {
          return Plan.shuffle(table.name() + " files " + ofDate.get(k - 1).path() + " and " + ofDate.get(k).path()
              + " overlap in account_id, so an account may span two files");
        }
      }
      files.add(ofDate);
    }
    return align(files.get(0), files.get(1), files.get(2));
  }

  /** Units from the accounts files; every other file must fall inside one unit's range, one per table. */
  static Plan align(List<DataFile> accounts, List<DataFile> collateral, List<DataFile> positions) {
    if (accounts.isEmpty()) {
      return Plan.shuffle("accounts has no file for this date");
    }
    String[] collateralOf = new String[accounts.size()];
    String[] positionsOf = new String[accounts.size()];
    String problem = assign("collateral", collateral, accounts, collateralOf);
    if (problem == null) {
      problem = assign("positions", positions, accounts, positionsOf);
    }
    if (problem != null) {
      return Plan.shuffle(problem);
    }
    List<Unit> units = new ArrayList<>();
    for (int k = 0; k < accounts.size(); k++) {
      units.add(new Unit(accounts.get(k).path(), collateralOf[k], positionsOf[k]));
    }
    return new Plan(List.copyOf(units), null);
  }

  /**
   * Unit k covers account ids from the first id of accounts file k up to (not including) the first id
   * of file k+1; unit 0 also takes everything below (orphan rows, which the merge reports).
   */
  private static String assign(String name, List<DataFile> files, List<DataFile> accounts, String[] out) {
    for (DataFile f : files) {
      int unit = unitOf(f.minAccount(), accounts);
      if (unit != unitOf(f.maxAccount(), accounts)) {
        return name + " file " + f.path() + " spans the account ranges of two accounts files";
      }
      if (out[unit] != null) {
        return name + " has two files in the account range of " + accounts.get(unit).path();
      }
      out[unit] = f.path();
    }
    return null;
  }

  private static int unitOf(String accountId, List<DataFile> accounts) {
    int unit = 0;
    for (int k = 1; k < accounts.size() && accounts.get(k).minAccount().compareTo(accountId) <= 0; k++) {
      unit = k;
    }
    return unit;
  }

  /** Deletion vectors hide rows and column mapping renames columns: either makes raw files unreliable. */
  private static String unsupportedFeature(Warehouse warehouse, Table table) {
    Row detail = io.delta.tables.DeltaTable.forPath(warehouse.spark(), warehouse.path(table)).detail().head();
    List<String> features = detail.getList(detail.fieldIndex("tableFeatures"));
    if (features.contains("deletionVectors")) {
      return "has the deletionVectors feature";
    }
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    String mapping = properties.getOrDefault("delta.columnMapping.mode", "none");
    if (!mapping.equals("none")) {
      return "uses column mapping mode " + mapping;
    }
    return null;
  }

  /** Signals a file that rules out the no-shuffle path. */
  private static final class NotClustered extends Exception {
    private static final long serialVersionUID = 1L;

    NotClustered(String message) {
      super(message);
    }
  }

  /** The file's account range if it holds rows of {@code asOf} only; empty if it holds none of them. */
  private static Optional<DataFile> readFooter(Configuration hadoop, String uri, LocalDate asOf) throws NotClustered {
    Path path = new Path(URI.create(uri));
    try {
      // fromPath stats the file once; its length is the size Spark splits by.
      HadoopInputFile file = HadoopInputFile.fromPath(path, hadoop);
      return readFooter(file, uri, asOf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Parquet footer of " + uri, e);
    }
  }

  private static Optional<DataFile> readFooter(HadoopInputFile file, String uri, LocalDate asOf)
      throws IOException, NotClustered {
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      String min = null;
      String max = null;
      Integer minDay = null;
      Integer maxDay = null;
      long rows = 0;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        if (block.getRowCount() == 0) {
          continue;
        }
        rows += block.getRowCount();
        for (ColumnChunkMetaData column : block.getColumns()) {
          String name = column.getPath().toDotString();
          if (!name.equals(ACCOUNT_ID) && !name.equals(AS_OF_DATE)) {
            continue;
          }
          Statistics<?> s = column.getStatistics();
          if (s == null || s.isEmpty() || !s.hasNonNullValue() || s.getNumNulls() > 0) {
            throw new NotClustered("no usable statistics for " + name);
          }
          if (name.equals(ACCOUNT_ID)) {
            String lo = ((Binary) s.genericGetMin()).toStringUsingUTF8();
            String hi = ((Binary) s.genericGetMax()).toStringUsingUTF8();
            min = min == null || lo.compareTo(min) < 0 ? lo : min;
            max = max == null || hi.compareTo(max) > 0 ? hi : max;
          } else {
            int lo = (Integer) s.genericGetMin();
            int hi = (Integer) s.genericGetMax();
            minDay = minDay == null ? lo : Math.min(minDay, lo);
            maxDay = maxDay == null ? hi : Math.max(maxDay, hi);
          }
        }
      }
      if (rows == 0) {
        return Optional.empty();
      }
      if (min == null || minDay == null) {
        throw new NotClustered("no account_id or as_of_date column statistics");
      }
      long day = asOf.toEpochDay();
      if (maxDay < day || minDay > day) {
        return Optional.empty();
      }
      if (minDay != day || maxDay != day) {
        throw new NotClustered("holds more than one as_of_date");
      }
      return Optional.of(new DataFile(uri, file.getLength(), min, max, rows));
    }
  }
}
