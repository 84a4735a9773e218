# A single-node Apache Kafka broker in KRaft mode for deploy/local (sourced after lib.sh), run
# from Maven Central artifacts (deploy/local/kafka/pom.xml), with no containers.

KAFKA_DIR=$STATE/kafka
KAFKA_LIB=$KAFKA_DIR/lib

kafka_java() {
  java -Xmx256m -Dkafka.log.level=WARN -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties" -cp "$KAFKA_LIB/*" "$@"
}

kafka_fetch() {
  local pom=$ROOT/deploy/local/kafka/pom.xml
  if [[ ! -f $KAFKA_LIB/.complete || $pom -nt $KAFKA_LIB/.complete ]]; then
    log "fetching the Kafka broker's jars"
    rm -rf "$KAFKA_LIB"
    mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB" >"$LOGS/kafka-fetch.log" 2>&1 \
      || die "could not fetch Kafka's jars; see $LOGS/kafka-fetch.log"
    touch "$KAFKA_LIB/.complete"
  fi
}

kafka_write_config() {
  cat > "$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
# One node: every internal topic has one replica, or consumer groups never form.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
}

kafka_create_topics() {
  local topic
  for topic in "${TOPICS[@]}"; do
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" \
      --create --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1 >>"$LOGS/kafka-tools.log" 2>&1
  done
}

# A broker is ready when it takes a record: metadata alone answers before the log is writable.
kafka_accepts_produce() {
  echo "probe-$(date +%s)" | kafka_java org.apache.kafka.tools.ConsoleProducer \
    --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic controlplane.probe \
    --producer-property acks=all --producer-property delivery.timeout.ms=10000 \
    --producer-property request.timeout.ms=5000 >>"$LOGS/kafka-tools.log" 2>&1
}

# Prints "started" when this call started the broker, "reused" when one was already there.
kafka_up() {
  kafka_fetch
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    kafka_accepts_produce || die "something answers on 127.0.0.1:$KAFKA_PORT but does not take a record; set KAFKA_PORT"
    log "Kafka on $KAFKA_BOOTSTRAP_SERVERS takes records"
    kafka_create_topics
    echo reused
    return
  fi
  mkdir -p "$KAFKA_DIR"
  kafka_write_config
  if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
    local cluster_id
    cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka-tools.log")
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" >>"$LOGS/kafka-tools.log" 2>&1 \
      || die "could not format Kafka's storage; see $LOGS/kafka-tools.log"
  fi
  log "starting Kafka on $KAFKA_BOOTSTRAP_SERVERS"
  nohup java -Xms256m -Xmx768m -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_DIR/server.properties" >"$LOGS/kafka.log" 2>&1 &
  echo $! > "$RUN/kafka.pid"
  wait_until 90 "Kafka is listening" port_open 127.0.0.1 "$KAFKA_PORT" \
    || die "Kafka did not start; see $LOGS/kafka.log"
  wait_until 60 "Kafka takes records" kafka_accepts_produce || die "Kafka does not take records; see $LOGS/kafka.log"
  kafka_create_topics
  echo started
}

kafka_down() { stop_pid kafka; rm -f "$RUN/kafka.started-by-up"; }

kafka_status() {
  if port_open 127.0.0.1 "$KAFKA_PORT"; then echo "kafka     UP    $KAFKA_BOOTSTRAP_SERVERS$(pid_alive kafka && echo ' (started by deploy/local)')";
  else echo "kafka     DOWN  $KAFKA_BOOTSTRAP_SERVERS"; fi
}
