package io.riskgrid.schemas;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Column names shared by many tables, and the small vocabulary the table definitions are written in. */
public final class Columns {

  /** The business date a daily input or output slice belongs to. */
  public static final String AS_OF_DATE = "as_of_date";
  /** The run that wrote an output row; one row of {@code runs} describes it. */
  public static final String RUN_ID = "run_id";

  private Columns() {}

  static StructField asOfDate(String comment) {
    return required(AS_OF_DATE, DataTypes.DateType, comment);
  }

  static StructField runId() {
    return required(RUN_ID, DataTypes.StringType, "the run that wrote this row, see runs");
  }

  /** A NOT NULL column. */
  static StructField required(String name, DataType type, String comment) {
    return new StructField(name, type, false, Metadata.empty()).withComment(comment);
  }

  /** A nullable column with a comment (units, allowed values). */
  static StructField column(String name, DataType type, String comment) {
    return DataTypes.createStructField(name, type, true).withComment(comment);
  }

  /** A nullable column whose name says it all. */
  static StructField column(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static StructField text(String name, String comment) {
    return column(name, DataTypes.StringType, comment);
  }

  static StructField text(String name) {
    return column(name, DataTypes.StringType);
  }

  static StructField amount(String name, String comment) {
    return column(name, DataTypes.DoubleType, comment);
  }

  static DataType arrayOf(DataType element) {
    return DataTypes.createArrayType(element, true);
  }

  static DataType mapOfLongs() {
    return DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true);
  }

  static DataType mapOfDoubles() {
    return DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true);
  }

  static DataType mapOfStrings() {
    return DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true);
  }

  static StructType struct(StructField... fields) {
    return new StructType(fields);
  }
}
