#!/usr/bin/env bash
# The daily margin run on YARN, cluster deploy mode (the driver runs in the application master), the
# warehouse on HDFS or S3A. Usage: deploy/yarn/submit-margin.sh 2026-01-05 hdfs:///riskgrid/warehouse
# Needs spark-submit of Spark 4.2.0 (Scala 2.13) on PATH and HADOOP_CONF_DIR pointing at the cluster.
set -euo pipefail
as_of="${1:?usage: $0 AS_OF_DATE WAREHOUSE_URI}"
warehouse="${2:?usage: $0 AS_OF_DATE WAREHOUSE_URI}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec spark-submit --master yarn --deploy-mode cluster \
  --packages io.delta:delta-spark_2.13:4.4.0 \
  --properties-file "$root/deploy/conf/spark-defaults.conf" \
  --conf spark.driver.extraJavaOptions=--add-modules=jdk.incubator.vector \
  --files "$root/deploy/conf/log4j2.properties" \
  --num-executors "${RISKGRID_EXECUTORS:-4}" --executor-cores "${RISKGRID_EXECUTOR_CORES:-4}" \
  --executor-memory "${RISKGRID_EXECUTOR_MEMORY:-8g}" --driver-memory "${RISKGRID_DRIVER_MEMORY:-4g}" \
  --class io.riskgrid.jobs.Riskgrid "$root/jobs/target/riskgrid-jobs-0.1.0-SNAPSHOT-app.jar" \
  margin --as-of "$as_of" --policy "${RISKGRID_POLICY:-deribit-like}" --warehouse "$warehouse"
