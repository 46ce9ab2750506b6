package io.riskgrid.jobs.spark;

import java.util.Optional;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells a statement that only reads from one that writes, from its parsed plan, before Spark runs it
 * ({@code spark.sql} runs commands eagerly, and Delta runs DELETE, UPDATE and MERGE on a view of a Delta
 * table). Queries read; so do SHOW, DESCRIBE (Delta's DESCRIBE DETAIL and HISTORY included), EXPLAIN and SET.
 */
final class ReadOnlySql {

  private ReadOnlySql() {}

  /** The simple class name of the first plan node that would write, if any. */
  static Optional<String> firstWrite(LogicalPlan plan) {
    String name = plan.getClass().getSimpleName();
    if (plan instanceof InsertIntoStatement || plan instanceof InsertIntoDir
        || (plan instanceof Command && !isReadOnlyCommand(name))) {
      return Optional.of(name);
    }
    for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
      Optional<String> write = firstWrite(child);
      if (write.isPresent()) {
        return write;
      }
    }
    return Optional.empty();
  }

  private static boolean isReadOnlyCommand(String name) {
    return name.startsWith("Show") || name.startsWith("Describe")
        || name.equals("ExplainCommand") || name.equals("SetCommand");
  }
}
