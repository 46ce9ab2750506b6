# Functions for a Spark standalone cluster on loopback (DESIGN §5.1), sourced by the scripts beside it.
# Maven Central has no Spark distribution, so the Spark home is built from the jobs module's jars.
#
# Settings (environment):
#   RISKGRID_SPARK_HOME     Spark home to build and use (default: <repo>/spark-home)
#   RISKGRID_APP_JAR        application jar to submit (default: jobs/target/riskgrid-jobs-*-app.jar,
#                           rebuilt with Maven when missing or older than the sources)
#   RISKGRID_WORKER_CORES   cores the worker offers (default 2)
#   RISKGRID_WORKER_MEMORY  memory the worker offers to executors (default 2g)
#   RISKGRID_EXECUTOR_MEMORY  executor heap (default 1g)
#   RISKGRID_DRIVER_OPTS    extra JVM options of the driver (default -Xmx2g)
#   RISKGRID_SUBMIT_OPTS    extra SparkSubmit arguments, e.g. "--conf spark.executor.cores=1"
#   JAVA_HOME               the JDK to run (default: java on PATH)

RG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RG_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RG_MAIN_CLASS="io.riskgrid.jobs.Riskgrid"

rg_log() { echo "riskgrid-cluster: $*" >&2; }
rg_flock() { if command -v flock >/dev/null 2>&1; then flock "$@"; fi; }
rg_fail() { rg_log "$*"; return 1; }

# Spark's own JavaModuleOptions list (DESIGN §2), read from the parent pom so there is one copy.
rg_jvm_opts() {
  sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$RG_ROOT/pom.xml"
}

rg_spark_home() {
  echo "${RISKGRID_SPARK_HOME:-$RG_ROOT/spark-home}"
}

# Builds the Spark home unless it is newer than every pom: the jobs module's provided dependencies
# (Spark, Delta and theirs) copied into jars/, plus the empty RELEASE file that tells Spark's launcher
# to take its classpath from jars/. The reactor needs a 'compile' phase to resolve risk-udf and schemas
# from target/classes without installing them; main.skip and resources.skip make it touch nothing.
rg_build_spark_home() {
  local home stale tmp
  home="$(rg_spark_home)"
  mkdir -p "$(dirname "$home")"
  # One build at a time per Spark home; the lock lives in /tmp so that the repository stays clean.
  exec 9>"/tmp/riskgrid-spark-home-$(printf %s "$home" | cksum | cut -d' ' -f1).lock"
  rg_flock 9
  stale="$(find "$RG_ROOT/pom.xml" "$RG_ROOT"/*/pom.xml -newer "$home/RELEASE" -print -quit 2>/dev/null || echo missing)"
  if [ -f "$home/RELEASE" ] && [ -z "$stale" ]; then
    rg_flock -u 9
    return 0
  fi
  rg_log "building the Spark home $home from Maven (first use or a pom changed) ..."
  tmp="$home.tmp.$$"
  rm -rf "$tmp"
  (cd "$RG_ROOT" && mvn -B -q -pl jobs -am compile dependency:copy-dependencies \
      -Dmaven.main.skip=true -Dmaven.resources.skip=true \
      -DincludeScope=provided -DexcludeArtifactIds=jmh-generator-annprocess \
      -DoutputDirectory="$tmp/jars") >&2 || { rm -rf "$tmp"; rg_flock -u 9; rg_fail "building the Spark home failed"; return 1; }
  touch "$tmp/RELEASE"
  rm -rf "$home"
  mv "$tmp" "$home"
  rg_flock -u 9
}

# The application jar; built with Maven (package, tests skipped) when missing or older than the sources,
# unless RISKGRID_APP_JAR names one.
rg_app_jar() {
  if [ -n "${RISKGRID_APP_JAR:-}" ]; then
    [ -f "$RISKGRID_APP_JAR" ] || { rg_fail "RISKGRID_APP_JAR=$RISKGRID_APP_JAR does not exist"; return 1; }
    echo "$RISKGRID_APP_JAR"
    return 0
  fi
  local jar="$RG_ROOT/jobs/target/riskgrid-jobs-0.1.0-SNAPSHOT-app.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$RG_ROOT/pom.xml" "$RG_ROOT"/*/pom.xml "$RG_ROOT/risk-udf/src/main" \
      "$RG_ROOT/schemas/src/main" "$RG_ROOT/jobs/src/main" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    rg_log "building the application jar with Maven ..."
    (cd "$RG_ROOT" && mvn -B -q -pl jobs -am -DskipTests package) >&2 || { rg_fail "building the jar failed"; return 1; }
  fi
  echo "$jar"
}

# Waits up to $3 seconds for the extended regex $2 to appear in log $1 while process $4 lives.
rg_wait_for_log() {
  local log="$1" pattern="$2" seconds="$3" pid="$4" i
  for ((i = 0; i < seconds * 5; i++)); do
    grep -qE "$pattern" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { rg_log "process $pid died; the end of $log:"; tail -n 30 "$log" >&2; return 1; }
    sleep 0.2
  done
  rg_log "timed out after ${seconds}s waiting for /$pattern/ in $log:"
  tail -n 30 "$log" >&2
  return 1
}

# Starts a master and one worker as separate JVMs, bound to 127.0.0.1 on free ports (port 0, web UIs on
# port 0 too), with their state and logs in directory $1. Writes $1/master.url, master.pid, worker.pid.
rg_start_cluster() {
  local state="$1" home url
  home="$(rg_spark_home)"
  [ -f "$home/RELEASE" ] || { rg_fail "no Spark home at $home: run deploy/cluster/build-spark-home.sh"; return 1; }
  mkdir -p "$state/work"
  export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  # shellcheck disable=SC2046
  "$RG_JAVA" $(rg_jvm_opts) -Xmx512m -cp "$home/jars/*" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 0 --webui-port 0 >"$state/master.log" 2>&1 &
  echo $! >"$state/master.pid"
  rg_wait_for_log "$state/master.log" 'Starting Spark master at spark://' 90 "$(cat "$state/master.pid")" || return 1
  url="$(grep -oE 'spark://127\.0\.0\.1:[0-9]+' "$state/master.log" | head -n 1)"
  [ -n "$url" ] || { rg_fail "the master did not bind to 127.0.0.1: see $state/master.log"; return 1; }
  echo "$url" >"$state/master.url"
  # shellcheck disable=SC2046
  "$RG_JAVA" $(rg_jvm_opts) -Xmx512m -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "${RISKGRID_WORKER_CORES:-2}" --memory "${RISKGRID_WORKER_MEMORY:-2g}" \
      --webui-port 0 --work-dir "$state/work" "$url" >"$state/worker.log" 2>&1 &
  echo $! >"$state/worker.pid"
  rg_wait_for_log "$state/worker.log" 'Successfully registered with master' 90 "$(cat "$state/worker.pid")" || return 1
  rg_log "master $url (pid $(cat "$state/master.pid")), worker pid $(cat "$state/worker.pid"), logs in $state"
}

# Stops the worker, then the master, of the cluster in directory $1, by process id: TERM, then KILL
# after 15 s. The worker's shutdown stops its executors.
rg_stop_cluster() {
  local state="$1" role pid i
  for role in worker master; do
    [ -f "$state/$role.pid" ] || continue
    pid="$(cat "$state/$role.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 75; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$state/$role.pid"
  done
}

# Runs riskgrid with arguments $2... on the cluster at master URL $1 through SparkSubmit, in client mode,
# the driver being this shell's child; returns the job's exit code.
rg_submit() {
  local url="$1" home jar
  shift
  home="$(rg_spark_home)"
  jar="$(rg_app_jar)" || return 1
  export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  # shellcheck disable=SC2046,SC2086
  "$RG_JAVA" $(rg_jvm_opts) ${RISKGRID_DRIVER_OPTS:--Xmx2g} -cp "$home/jars/*" org.apache.spark.deploy.SparkSubmit \
      --master "$url" --deploy-mode client \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
      --properties-file "$RG_ROOT/deploy/conf/spark-defaults.conf" \
      --conf spark.ui.enabled=false --conf spark.executor.memory="${RISKGRID_EXECUTOR_MEMORY:-1g}" \
      ${RISKGRID_SUBMIT_OPTS:-} --class "$RG_MAIN_CLASS" "$jar" "$@"
}
