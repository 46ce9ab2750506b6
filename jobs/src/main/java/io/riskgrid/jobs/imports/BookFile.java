package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgrid.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * One input file of a book, read by Spark into text columns, each row with the file it came from and its
 * position there: the physical line for CSV and JSON Lines (the text is read with a line index, so a
 * line number is exact whatever the splits), the row number for Parquet. Column names are
 * case-insensitive. A row that cannot be split into the file's columns at all (a CSV line with another
 * number of fields than the header, an unbalanced quote, a JSON line that is not an object) is marked
 * in {@code malformed}: the caller fails the import on it, naming the file and line, before writing.
 *
 * <p>Columns of the result: {@code source} (the file as given), {@code line} (long, from 1),
 * {@code malformed} (null when the row split), then every column asked for as text (null when absent
 * or blank).
 */
final class BookFile {
  static final String SOURCE = "source";
  static final String LINE = "line";
  static final String MALFORMED = "malformed";

  private static final CSVFormat CSV_LINE = CSVFormat.DEFAULT.builder().setTrim(true).get();

  private BookFile() {}

  /**
   * @param required columns the file must have (lower case), or the import fails naming the file
   * @param optional columns read when present
   */
  static Dataset<Row> read(SparkSession spark, BookFormat format, String file, List<String> required,
      List<String> optional) {
    List<String> columns = new ArrayList<>(required);
    columns.addAll(optional);
    StructType schema = schema(columns);
    return switch (format) {
      case CSV -> csv(spark, file, required, columns, schema);
      case JSONL -> jsonLines(spark, file, columns, schema);
      case PARQUET -> parquet(spark, file, required, columns);
      case DERIBIT -> throw new IllegalArgumentException("a Deribit snapshot is one file for the whole book: DeribitSnapshot");
    };
  }

  private static StructType schema(List<String> columns) {
    List<StructField> fields = new ArrayList<>(List.of(DataTypes.createStructField(SOURCE, DataTypes.StringType, false),
        DataTypes.createStructField(LINE, DataTypes.LongType, false),
        DataTypes.createStructField(MALFORMED, DataTypes.StringType, true)));
    for (String c : columns) {
      fields.add(DataTypes.createStructField(c, DataTypes.StringType, true));
    }
    return DataTypes.createStructType(fields);
  }

  /** Index of each wanted column in the header, -1 when absent; a missing required column fails the file. */
  private static int[] headerIndex(String file, List<String> header, List<String> required, List<String> columns) {
    Map<String, Integer> at = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (at.put(name, i) != null) {
        throw new InvalidInputException(file + " line 1", "the header names column '" + name + "' twice");
      }
    }
    List<String> missing = required.stream().filter(c -> !at.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException(file + " line 1", "missing column(s) " + missing + " in the header " + header
          + "; the columns are " + columns + " (names case-insensitive)");
    }
    return columns.stream().mapToInt(c -> at.getOrDefault(c, -1)).toArray();
  }

  /**
   * A CSV file's header as the reader uses it: {@code index} the field of each wanted column (-1 when
   * absent), {@code width} the number of fields every line must have.
   */
  record CsvHeader(int[] index, int width) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The header of the CSV {@code file}, or an error naming the file and line 1. */
  static CsvHeader csvHeader(SparkSession spark, String file, List<String> required, List<String> columns) {
    String headerLine = firstLine(spark, file);
    List<String> header;
    try {
      header = splitCsv(headerLine);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file + " line 1", "malformed CSV header: " + e.getMessage());
    }
    return new CsvHeader(headerIndex(file, header, required, columns), header.size());
  }

  private static Dataset<Row> csv(SparkSession spark, String file, List<String> required, List<String> columns,
      StructType schema) {
    CsvHeader header = csvHeader(spark, file, required, columns);
    int[] index = header.index();
    int width = header.width();
    JavaRDD<Row> rows = lines(spark, file).filter(t -> t._2() > 0 && !t._1().isBlank()).map(t -> {
      long line = t._2() + 1;
      Object[] values = new Object[3 + index.length];
      values[0] = file;
      values[1] = line;
      List<String> fields;
      try {
        fields = splitCsv(t._1());
      } catch (IllegalArgumentException e) {
        values[2] = "malformed CSV: " + e.getMessage();
        return RowFactory.create(values);
      }
      if (fields.size() != width) {
        values[2] = "has " + fields.size() + " fields, the header has " + width;
        return RowFactory.create(values);
      }
      for (int k = 0; k < index.length; k++) {
        values[3 + k] = index[k] < 0 ? null : blankToNull(fields.get(index[k]));
      }
      return RowFactory.create(values);
    });
    return spark.createDataFrame(rows, schema);
  }

  /**
   * The fields of one CSV line, trimmed (RFC 4180 quoting; a quoted field cannot span lines). A line
   * without a quote, nearly every line of a book, is split at its commas here: commons-csv builds a
   * parser per call, which cost more than the rest of the import's reading together.
   */
  static List<String> splitCsv(String line) {
    if (line.indexOf('"') < 0) {
      List<String> fields = new ArrayList<>(8);
      int from = 0;
      for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', from)) {
        fields.add(line.substring(from, comma).trim());
        from = comma + 1;
      }
      fields.add(line.substring(from).trim());
      return fields;
    }
    return splitQuoted(line);
  }

  /** The fields of one CSV line by commons-csv, for lines with quotes. */
  static List<String> splitQuoted(String line) {
    try (CSVParser parser = CSVParser.parse(line, CSV_LINE)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        throw new IllegalArgumentException("a quoted field spans lines, which line-numbered import does not accept");
      }
      List<String> fields = new ArrayList<>();
      records.get(0).forEach(fields::add);
      return fields;
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * Field {@code index} of a split CSV line as the book's rows carry it: as this reader gives it (trimmed,
   * null when blank), then as {@link BookRows} keeps it (null when empty); null when the column is absent
   * ({@code index} -1). The sorted read builds its rows with this, so that they are the shuffle path's.
   */
  static String bookValue(List<String> fields, int index) {
    String v = index < 0 ? null : blankToNull(fields.get(index));
    return v == null || v.isEmpty() ? null : v;
  }

  /** Every line of the file with its 0-based index in the whole file. */
  private static JavaRDD<Tuple2<String, Long>> lines(SparkSession spark, String file) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return jsc.textFile(file).zipWithIndex().map(t -> t);
  }

  private static String firstLine(SparkSession spark, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(path)) {
        throw new InvalidInputException(file, "no such file");
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
        String line = in.readLine();
        if (line == null || line.isBlank()) {
          throw new InvalidInputException(file + " line 1", "is empty; a CSV file starts with its header row");
        }
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
      }
    } catch (IOException e) {
      throw new InvalidInputException(file, "cannot read: " + e.getMessage());
    }
  }

  /** Fails naming {@code file} when it does not exist (Spark's own error would name no input). */
  static void requireExists(SparkSession spark, String file) {
    Path path = new Path(file);
    try {
      if (!path.getFileSystem(spark.sessionState().newHadoopConf()).exists(path)) {
        throw new InvalidInputException(file, "no such file");
      }
    } catch (IOException e) {
      throw new InvalidInputException(file, "cannot read: " + e.getMessage());
    }
  }

  private static Dataset<Row> jsonLines(SparkSession spark, String file, List<String> columns, StructType schema) {
    requireExists(spark, file);
    String[] wanted = columns.toArray(String[]::new);
    JavaRDD<Row> rows = lines(spark, file).filter(t -> !t._1().isBlank()).mapPartitions(new JsonRows(file, wanted));
    return spark.createDataFrame(rows, schema);
  }

  /** Parses JSON lines with one mapper per partition; keys are matched case-insensitively. */
  private static final class JsonRows
      implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<Tuple2<String, Long>>, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String[] columns;

    JsonRows(String file, String[] columns) {
      this.file = file;
      this.columns = columns;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<String, Long>> lines) {
      ObjectMapper json = new ObjectMapper();
      List<String> wanted = Arrays.asList(columns);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return lines.hasNext();
        }

        @Override
        public Row next() {
          Tuple2<String, Long> t = lines.next();
          Object[] values = new Object[3 + columns.length];
          values[0] = file;
          values[1] = t._2() + 1;
          JsonNode node;
          try {
            node = json.readTree(t._1());
          } catch (IOException e) {
            values[2] = "not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            return RowFactory.create(values);
          }
          if (node == null || !node.isObject()) {
            values[2] = "is not a JSON object";
            return RowFactory.create(values);
          }
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            int k = wanted.indexOf(field.getKey().toLowerCase(Locale.ROOT));
            if (k < 0) {
              continue;
            }
            JsonNode v = field.getValue();
            if (v.isContainerNode()) {
              values[2] = "field '" + field.getKey() + "' is " + v.getNodeType() + ", not a value";
              return RowFactory.create(values);
            }
            values[3 + k] = v.isNull() ? null : blankToNull(v.asText());
          }
          return RowFactory.create(values);
        }
      };
    }
  }

  private static Dataset<Row> parquet(SparkSession spark, String file, List<String> required, List<String> columns) {
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(file);
    } catch (RuntimeException e) {
      throw new InvalidInputException(file, "cannot read as Parquet: " + e.getMessage());
    }
    Map<String, String> present = new LinkedHashMap<>();
    for (String name : raw.columns()) {
      present.put(name.toLowerCase(Locale.ROOT), name);
    }
    List<String> missing = required.stream().filter(c -> !present.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException(file, "missing column(s) " + missing + " among " + Arrays.asList(raw.columns())
          + "; the columns are " + columns + " (names case-insensitive)");
    }
    List<Column> out = new ArrayList<>(List.of(col("_metadata.file_path").as(SOURCE),
        col("_metadata.row_index").plus(1).cast(DataTypes.LongType).as(LINE), lit(null).cast(DataTypes.StringType).as(MALFORMED)));
    for (String c : columns) {
      // Text, as from CSV, so that one set of checks parses every format (a NaN double stays "NaN").
      out.add(present.containsKey(c) ? org.apache.spark.sql.functions.trim(col("`" + present.get(c) + "`")
          .cast(DataTypes.StringType)).as(c) : lit(null).cast(DataTypes.StringType).as(c));
    }
    return raw.select(out.toArray(Column[]::new));
  }
}
