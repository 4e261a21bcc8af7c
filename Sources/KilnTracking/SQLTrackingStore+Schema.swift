import KilnSQL

/// The store's tables, written once for both databases: experiments, runs with their parameters,
/// tags, metrics (every point, and each key's latest), artifacts, dataset lineage, the append-only
/// audit log, the model registry and sweep trials. Times are milliseconds since 1970.
///
/// A shipped migration is never changed in what it makes. The SQLite store shipped first and
/// gained the run's `generation` in v4; PostgreSQL's v1 came later and has it from the start.
/// PostgreSQL's v5 keeps statistics for listing filters; both take v6, the index of runs in start order.
extension SQLTrackingStore {
  static func migrations(for dialect: SQLDialect) -> [SQLMigration] {
    let v1 = SQLMigration("v1: runs, metrics, artifacts, lineage, audit", sql: runTables(dialect) + auditTable(dialect))
    let v2 = SQLMigration("v2: model registry", sql: registryTables(dialect))
    let v3 = SQLMigration("v3: sweep trials", sql: sweepTables(dialect))
    // Listings are newest first: with this index a page of them is read in order and the reading
    // stops at the page's end, instead of sorting every run.
    let v6 = SQLMigration("v6: runs in start order", sql: "CREATE INDEX run_by_start_time ON run(start_time DESC, id)")
    switch dialect {
    case .sqlite:
      // A resumed run takes the next generation; writes that name an older one are refused, so a
      // frozen process that wakes after its run was resumed elsewhere cannot write into it.
      // v5 is PostgreSQL's (statistics its planner needs).
      return [v1, v2, v3, SQLMigration("v4: run generations", sql: "ALTER TABLE run ADD COLUMN generation INTEGER NOT NULL DEFAULT 0"),
              v6]
    case .postgreSQL:
      // v4 is SQLite's (run generations, which PostgreSQL's v1 has). Statistics of parameters' and
      // tags' text read as numbers let the planner estimate a filter such as `params.batch_size =
      // 64`: without them it guesses that almost no run passes, and sorts every run rather than
      // reading the sort metric's index until the page is full (BENCHMARKS.md).
      return [v1, v2, v3, SQLMigration("v5: statistics for listing filters", sql: """
        CREATE STATISTICS param_value_as_number ON (kiln_number(value)) FROM param;
        CREATE STATISTICS tag_value_as_number ON (kiln_number(value)) FROM tag;
        """), v6]
    }
  }

  private static func runTables(_ d: SQLDialect) -> String {
    let (integer, real, rowIDFree) = (d.integerType, d.realType, d.withoutRowID)
    return """
      CREATE TABLE experiment (
        id \(d.identityKey),
        name TEXT NOT NULL UNIQUE,
        created_at \(integer) NOT NULL
      );
      CREATE TABLE run (
        id TEXT PRIMARY KEY,
        experiment_id \(integer) NOT NULL REFERENCES experiment(id),
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        start_time \(integer) NOT NULL,
        end_time \(integer),
        seed \(integer),
        command_line TEXT NOT NULL,
        host TEXT NOT NULL,
        pid \(integer) NOT NULL,
        heartbeat_at \(integer) NOT NULL,
        heartbeat_interval \(real),
        git_commit TEXT,
        git_dirty \(d.booleanType),
        parent_id TEXT REFERENCES run(id),
        configuration TEXT NOT NULL,
        configuration_hash TEXT NOT NULL,
        deleted_at \(integer)\(d == .postgreSQL ? ",\n  generation BIGINT NOT NULL DEFAULT 0" : "")
      );
      CREATE INDEX run_by_experiment ON run(experiment_id, start_time);
      CREATE INDEX run_by_parent ON run(parent_id);
      CREATE INDEX run_by_status ON run(status);
      CREATE TABLE param (
        run_id TEXT NOT NULL REFERENCES run(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      )\(rowIDFree);
      CREATE TABLE tag (
        run_id TEXT NOT NULL REFERENCES run(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      )\(rowIDFree);
      -- Clustered by series in SQLite, so a run's history and summaries are one sequential scan; a
      -- point logged twice (same step, time and value) is stored once.
      CREATE TABLE metric (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        step \(integer) NOT NULL,
        timestamp \(integer) NOT NULL,
        value \(real) NOT NULL,
        PRIMARY KEY (run_id, key, step, timestamp, value)
      )\(rowIDFree);
      CREATE TABLE latest_metric (
        run_id TEXT NOT NULL REFERENCES run(id),
        key TEXT NOT NULL,
        step \(integer) NOT NULL,
        value \(real) NOT NULL,
        timestamp \(integer) NOT NULL,
        count \(integer) NOT NULL,
        PRIMARY KEY (run_id, key)
      )\(rowIDFree);
      CREATE INDEX latest_metric_by_key ON latest_metric(key, value);
      CREATE TABLE artifact (
        run_id TEXT NOT NULL REFERENCES run(id),
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size \(integer) NOT NULL,
        storage_path TEXT NOT NULL,
        logged_at \(integer) NOT NULL,
        PRIMARY KEY (run_id, name)
      )\(rowIDFree);
      CREATE TABLE dataset_input (
        run_id TEXT NOT NULL REFERENCES run(id),
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        split TEXT NOT NULL,
        PRIMARY KEY (run_id, name, version, split)
      )\(rowIDFree);

      """
  }

  /// The audit log, whose rows no statement may change or delete.
  private static func auditTable(_ d: SQLDialect) -> String {
    let table = """
      CREATE TABLE audit_event (
        sequence \(d.integerType) PRIMARY KEY,
        kind TEXT NOT NULL,
        run_id TEXT,
        timestamp \(d.integerType) NOT NULL,
        payload TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_event_by_run ON audit_event(run_id);

      """
    switch d {
    case .sqlite:
      return table + """
        CREATE TRIGGER audit_event_is_append_only_update BEFORE UPDATE ON audit_event
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_event_is_append_only_delete BEFORE DELETE ON audit_event
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    case .postgreSQL:
      return table + """
        CREATE FUNCTION kiln_audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
        CREATE TRIGGER audit_event_is_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
          FOR EACH STATEMENT EXECUTE FUNCTION kiln_audit_event_is_append_only();
        -- Text read as a number for filters and sorts, NULL when it is not one (a CAST would fail the query).
        CREATE FUNCTION kiln_number(value TEXT) RETURNS DOUBLE PRECISION LANGUAGE plpgsql IMMUTABLE AS $$
          BEGIN RETURN value::DOUBLE PRECISION; EXCEPTION WHEN others THEN RETURN NULL; END $$;
        """
    }
  }

  /// A version's `last_event` is the audit event that recorded its current state, so deleting
  /// the newest events of the log (which a hash chain alone cannot notice) is detected too.
  private static func registryTables(_ d: SQLDialect) -> String {
    let (integer, rowIDFree) = (d.integerType, d.withoutRowID)
    return """
      CREATE TABLE registered_model (
        name TEXT PRIMARY KEY,
        created_at \(integer) NOT NULL
      )\(rowIDFree);
      CREATE TABLE model_version (
        model_name TEXT NOT NULL REFERENCES registered_model(name),
        version \(integer) NOT NULL,
        run_id TEXT NOT NULL REFERENCES run(id),
        checkpoint_artifact TEXT NOT NULL,
        checkpoint_sha256 TEXT,
        dataset_fingerprint TEXT NOT NULL,
        git_commit TEXT,
        configuration_hash TEXT NOT NULL,
        stage TEXT NOT NULL,
        created_at \(integer) NOT NULL,
        stage_changed_at \(integer) NOT NULL,
        production_since \(integer),
        last_event \(integer) NOT NULL,
        PRIMARY KEY (model_name, version)
      )\(rowIDFree);
      CREATE INDEX model_version_by_run ON model_version(run_id);
      CREATE TABLE model_alias (
        model_name TEXT NOT NULL REFERENCES registered_model(name),
        alias TEXT NOT NULL,
        version \(integer) NOT NULL,
        PRIMARY KEY (model_name, alias)
      )\(rowIDFree);
      """
  }

  /// One row per trial of a sweep (the sweep is a run); `payload` is the sweep layer's JSON
  /// (parameters, distributions, intermediate values). A trial is claimable by a worker when
  /// `ready` and unleased; the lease (owner, host, pid, heartbeat) finds trials whose worker died.
  private static func sweepTables(_ d: SQLDialect) -> String {
    let integer = d.integerType
    return """
      CREATE TABLE sweep_trial (
        sweep_run_id TEXT NOT NULL REFERENCES run(id),
        number \(integer) NOT NULL,
        run_id TEXT,
        state TEXT NOT NULL,
        value \(d.realType),
        error TEXT,
        payload TEXT NOT NULL,
        ready \(d.booleanType) NOT NULL,
        lease_owner TEXT,
        lease_host TEXT,
        lease_pid \(integer),
        heartbeat_at \(integer),
        start_time \(integer) NOT NULL,
        end_time \(integer),
        restart_count \(integer) NOT NULL,
        PRIMARY KEY (sweep_run_id, number)
      )\(d.withoutRowID);
      """
  }
}
