package io.riskgrid.jobs.imports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * The survey of {@link SortedCsvBook}: whether a CSV file's data lines are in account_id order, and
 * where every few hundredth line starts. A look at each chunk's first line on the driver comes first; then
 * one task per chunk reads the lines that start in it, stopping at the first that breaks the order or
 * cannot be read.
 */
final class CsvSurvey {
  private CsvSurvey() {}

  /** Bytes [start, end) of the book's file number {@code file}: its lines are those that start there. */
  record Chunk(int file, long start, long end) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    Chunk {
      if (file < 0 || start < 0 || end < start) {
        throw new IllegalArgumentException("chunk of file " + file + " from byte " + start + " to " + end);
      }
    }
  }

  /** A data line marked by the survey: its account_id, the offset where it starts and its 0-based index. */
  record Mark(String id, long offset, long line) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * What the survey found in one chunk: the lines that start in it, the first and last account_id of its
   * data lines (null when it has none), its marks (line indices counted from the chunk's first line), and
   * the first line that stops the sorted read with why (-1 and null when none).
   */
  record Survey(long lines, long dataLines, String firstId, String lastId, List<Mark> marks, long problemLine,
      String problem) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A look at the first data line of every chunk, on the driver, before the survey: a file whose account
   * blocks are out of order (each block sorted, as a concatenation of sorted parts is) shows it here at
   * the cost of one short read per chunk, where the survey would read every chunk through. Null when
   * nothing is out of order at the chunks' starts; lines the look cannot read are left to the survey.
   */
  static String glance(Configuration hadoop, List<SortedCsvBook.CsvFile> files, List<Chunk> chunks) {
    for (int k = 0; k < files.size(); k++) {
      SortedCsvBook.CsvFile f = files.get(k);
      Path path = new Path(f.path());
      try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
        IdField field = new IdField(f.header());
        byte[] previous = null;
        long previousAt = -1;
        for (Chunk chunk : chunks) {
          long at = chunk.file() == k ? firstDataLine(in, chunk, field) : -1;
          if (at < 0) {
            continue;
          }
          if (previous != null && compareBytes(field.id, field.idLength, previous, previous.length) < 0) {
            return ImportBookJob.fileName(f.path()) + ": the line at byte " + at + " has account_id "
                + field.idText() + ", after " + new String(previous, StandardCharsets.UTF_8) + " at byte " + previousAt
                + ", so the file is not in account_id order";
          }
          previous = Arrays.copyOf(field.id, field.idLength);
          previousAt = at;
        }
      } catch (IOException e) {
        return f.path() + ": cannot be read: " + e.getMessage();
      }
    }
    return null;
  }

  /**
   * Reads the first data line of {@code chunk} into {@code field} and returns where it starts; -1 when
   * none of the chunk's first few lines (the header, a blank line or two) is a readable data line.
   */
  private static long firstDataLine(FSDataInputStream in, Chunk chunk, IdField field) throws IOException {
    LineCursor lines = LineCursor.at(in, LineCursor.lineStartAtOrAfter(in, chunk.start()));
    for (int k = 0; k < 4 && lines.next() && lines.lineStart() < chunk.end(); k++) {
      boolean header = chunk.start() == 0 && k == 0;
      if (!header && field.read(lines.bytes(), lines.from(), lines.length()) == null && !field.blank) {
        return lines.lineStart();
      }
    }
    return -1;
  }

  /** Surveys the lines of {@code file} that start in {@code chunk}. */
  static Survey survey(HadoopConf conf, SortedCsvBook.CsvFile file, Chunk chunk, int markEvery) throws IOException {
    long start = chunk.start();
    long end = chunk.end();
    Path path = new Path(file.path());
    try (FSDataInputStream in = path.getFileSystem(conf.get()).open(path)) {
      LineCursor lines = LineCursor.at(in, LineCursor.lineStartAtOrAfter(in, start));
      long count = 0;
      long data = 0;
      String first = null;
      byte[] last = null;
      int lastLength = 0;
      List<Mark> marks = new ArrayList<>();
      IdField field = new IdField(file.header());
      while (lines.next() && lines.lineStart() < end) {
        long index = count++;
        if (start == 0 && index == 0) {
          continue;
        }
        String problem = field.read(lines.bytes(), lines.from(), lines.length());
        if (problem != null) {
          return new Survey(count, data, first, null, marks, index, problem);
        }
        if (field.blank) {
          continue;
        }
        if (last != null && compareBytes(field.id, field.idLength, last, lastLength) < 0) {
          return new Survey(count, data, first, null, marks, index, "account_id " + field.idText() + " comes after "
              + new String(last, 0, lastLength, StandardCharsets.UTF_8) + ", so the file is not in account_id order");
        }
        if (last == null || last.length < field.idLength) {
          last = new byte[Math.max(32, field.idLength * 2)];
        }
        System.arraycopy(field.id, 0, last, 0, field.idLength);
        lastLength = field.idLength;
        if (data % markEvery == 0) {
          String id = field.idText();
          marks.add(new Mark(id, lines.lineStart(), index));
          if (first == null) {
            first = id;
          }
        }
        data++;
      }
      return new Survey(count, data, first, last == null ? null : new String(last, 0, lastLength, StandardCharsets.UTF_8),
          marks, -1, null);
    }
  }

  /**
   * The account_id of one CSV line as the reader would give it: a line of plain ASCII without quotes is
   * cut at its commas here; any other line is decoded and split as {@link BookFile} splits it, and its
   * account_id is compared by its UTF-8 bytes, as Spark compares strings.
   */
  static final class IdField {
    private final int idField;
    private final int width;
    byte[] id = new byte[64];
    int idLength;
    boolean blank;

    IdField(BookFile.CsvHeader header) {
      this.idField = header.index()[0];
      this.width = header.width();
    }

    /** Reads a line: null when it is blank or has an account_id, else why it stops the sorted read. */
    String read(byte[] bytes, int from, int length) {
      boolean plain = true;
      boolean allSpace = true;
      for (int i = from; i < from + length; i++) {
        byte b = bytes[i];
        if (b < 0x20 && b != '\t' || b == 0x7f || b < 0 || b == '"') {
          plain = false;
          break;
        }
        if (b != ' ' && b != '\t') {
          allSpace = false;
        }
      }
      if (!plain) {
        return readText(new String(bytes, from, length, StandardCharsets.UTF_8));
      }
      blank = allSpace;
      if (blank) {
        return null;
      }
      int field = 0;
      int fieldStart = from;
      int idFrom = -1;
      int idTo = -1;
      for (int i = from; i <= from + length; i++) {
        if (i == from + length || bytes[i] == ',') {
          if (field == idField) {
            idFrom = fieldStart;
            idTo = i;
          }
          field++;
          fieldStart = i + 1;
        }
      }
      if (field != width) {
        return "has " + field + " fields, the header has " + width;
      }
      while (idFrom < idTo && bytes[idFrom] <= ' ') {
        idFrom++;
      }
      while (idTo > idFrom && bytes[idTo - 1] <= ' ') {
        idTo--;
      }
      if (idFrom == idTo) {
        return "account_id is blank";
      }
      setId(bytes, idFrom, idTo - idFrom);
      return null;
    }

    private String readText(String line) {
      blank = line.isBlank();
      if (blank) {
        return null;
      }
      List<String> fields;
      try {
        fields = BookFile.splitCsv(line);
      } catch (IllegalArgumentException e) {
        return "malformed CSV: " + e.getMessage();
      }
      if (fields.size() != width) {
        return "has " + fields.size() + " fields, the header has " + width;
      }
      String value = BookFile.bookValue(fields, idField);
      if (value == null) {
        return "account_id is blank";
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      setId(utf8, 0, utf8.length);
      return null;
    }

    private void setId(byte[] bytes, int from, int length) {
      if (id.length < length) {
        id = new byte[length * 2];
      }
      System.arraycopy(bytes, from, id, 0, length);
      idLength = length;
    }

    String idText() {
      return new String(id, 0, idLength, StandardCharsets.UTF_8);
    }
  }

  /** Unsigned byte order, as Spark compares UTF-8 strings. */
  static int compareBytes(byte[] a, int aLength, byte[] b, int bLength) {
    return Arrays.compareUnsigned(a, 0, aLength, b, 0, bLength);
  }
}
