import KilnSQL

/// The store's tables, the same in both databases: experiments, runs with their parameters,
/// tags, metrics (every point, and each key's latest), artifacts, dataset lineage, the append-only
/// audit log, the model registry and sweep trials. Times are milliseconds since 1970.
///
/// Each database has its own migrations, because the SQLite store shipped first (and gained a
/// column in v4) and a shipped migration is never edited; PostgreSQL's v1 has every column.
extension SQLTrackingStore {
  static func migrations(for dialect: SQLDialect) -> [SQLMigration] {
    switch dialect {
    case .sqlite: return sqliteMigrations
    case .postgreSQL: return postgreSQLMigrations
    }
  }

  private static var sqliteMigrations: [SQLMigration] {
    [
      SQLMigration("v1: runs, metrics, artifacts, lineage, audit", sql: """
        CREATE TABLE experiment (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE run (
          id TEXT PRIMARY KEY,
          experiment_id INTEGER NOT NULL REFERENCES experiment(id),
          name TEXT NOT NULL,
          status TEXT NOT NULL,
          start_time INTEGER NOT NULL,
          end_time INTEGER,
          seed INTEGER,
          command_line TEXT NOT NULL,
          host TEXT NOT NULL,
          pid INTEGER NOT NULL,
          heartbeat_at INTEGER NOT NULL,
          heartbeat_interval REAL,
          git_commit TEXT,
          git_dirty INTEGER,
          parent_id TEXT REFERENCES run(id),
          configuration TEXT NOT NULL,
          configuration_hash TEXT NOT NULL,
          deleted_at INTEGER
        );
        CREATE INDEX run_by_experiment ON run(experiment_id, start_time);
        CREATE INDEX run_by_parent ON run(parent_id);
        CREATE INDEX run_by_status ON run(status);
        CREATE TABLE param (
          run_id TEXT NOT NULL REFERENCES run(id),
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE tag (
          run_id TEXT NOT NULL REFERENCES run(id),
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        -- Clustered by series, so a run's history and summaries are one sequential scan; a point
        -- logged twice (same step, time and value) is stored once.
        CREATE TABLE metric (
          run_id TEXT NOT NULL,
          key TEXT NOT NULL,
          step INTEGER NOT NULL,
          timestamp INTEGER NOT NULL,
          value REAL NOT NULL,
          PRIMARY KEY (run_id, key, step, timestamp, value)
        ) WITHOUT ROWID;
        CREATE TABLE latest_metric (
          run_id TEXT NOT NULL REFERENCES run(id),
          key TEXT NOT NULL,
          step INTEGER NOT NULL,
          value REAL NOT NULL,
          timestamp INTEGER NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX latest_metric_by_key ON latest_metric(key, value);
        CREATE TABLE artifact (
          run_id TEXT NOT NULL REFERENCES run(id),
          name TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          size INTEGER NOT NULL,
          storage_path TEXT NOT NULL,
          logged_at INTEGER NOT NULL,
          PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE dataset_input (
          run_id TEXT NOT NULL REFERENCES run(id),
          name TEXT NOT NULL,
          version TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          split TEXT NOT NULL,
          PRIMARY KEY (run_id, name, version, split)
        ) WITHOUT ROWID;
        CREATE TABLE audit_event (
          sequence INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          run_id TEXT,
          timestamp INTEGER NOT NULL,
          payload TEXT NOT NULL,
          previous_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        CREATE INDEX audit_event_by_run ON audit_event(run_id);
        CREATE TRIGGER audit_event_is_append_only_update BEFORE UPDATE ON audit_event
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_event_is_append_only_delete BEFORE DELETE ON audit_event
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """),
      // A version's `last_event` is the audit event that recorded its current state, so deleting
      // the newest events of the log (which a hash chain alone cannot notice) is detected too.
      SQLMigration("v2: model registry", sql: """
        CREATE TABLE registered_model (
          name TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE model_version (
          model_name TEXT NOT NULL REFERENCES registered_model(name),
          version INTEGER NOT NULL,
          run_id TEXT NOT NULL REFERENCES run(id),
          checkpoint_artifact TEXT NOT NULL,
          checkpoint_sha256 TEXT,
          dataset_fingerprint TEXT NOT NULL,
          git_commit TEXT,
          configuration_hash TEXT NOT NULL,
          stage TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          stage_changed_at INTEGER NOT NULL,
          production_since INTEGER,
          last_event INTEGER NOT NULL,
          PRIMARY KEY (model_name, version)
        ) WITHOUT ROWID;
        CREATE INDEX model_version_by_run ON model_version(run_id);
        CREATE TABLE model_alias (
          model_name TEXT NOT NULL REFERENCES registered_model(name),
          alias TEXT NOT NULL,
          version INTEGER NOT NULL,
          PRIMARY KEY (model_name, alias)
        ) WITHOUT ROWID;
        """),
      // One row per trial of a sweep (the sweep is a run); `payload` is the sweep layer's JSON
      // (parameters, distributions, intermediate values). A trial is claimable by a worker when
      // `ready` and unleased; the lease (owner, host, pid, heartbeat) finds trials whose worker died.
      SQLMigration("v3: sweep trials", sql: """
        CREATE TABLE sweep_trial (
          sweep_run_id TEXT NOT NULL REFERENCES run(id),
          number INTEGER NOT NULL,
          run_id TEXT,
          state TEXT NOT NULL,
          value REAL,
          error TEXT,
          payload TEXT NOT NULL,
          ready INTEGER NOT NULL,
          lease_owner TEXT,
          lease_host TEXT,
          lease_pid INTEGER,
          heartbeat_at INTEGER,
          start_time INTEGER NOT NULL,
          end_time INTEGER,
          restart_count INTEGER NOT NULL,
          PRIMARY KEY (sweep_run_id, number)
        ) WITHOUT ROWID;
        """),
      // A resumed run takes the next generation; writes that name an older one are refused, so a
      // frozen process that wakes after its run was resumed elsewhere cannot write into it.
      SQLMigration("v4: run generations", sql: "ALTER TABLE run ADD COLUMN generation INTEGER NOT NULL DEFAULT 0"),
    ]
  }

  private static var postgreSQLMigrations: [SQLMigration] {
    [
      SQLMigration("v1: runs, metrics, artifacts, lineage, audit", sql: """
        CREATE TABLE experiment (
          id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          created_at BIGINT NOT NULL
        );
        CREATE TABLE run (
          id TEXT PRIMARY KEY,
          experiment_id BIGINT NOT NULL REFERENCES experiment(id),
          name TEXT NOT NULL,
          status TEXT NOT NULL,
          start_time BIGINT NOT NULL,
          end_time BIGINT,
          seed BIGINT,
          command_line TEXT NOT NULL,
          host TEXT NOT NULL,
          pid BIGINT NOT NULL,
          heartbeat_at BIGINT NOT NULL,
          heartbeat_interval DOUBLE PRECISION,
          git_commit TEXT,
          git_dirty BOOLEAN,
          parent_id TEXT REFERENCES run(id),
          configuration TEXT NOT NULL,
          configuration_hash TEXT NOT NULL,
          deleted_at BIGINT,
          generation BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX run_by_experiment ON run(experiment_id, start_time);
        CREATE INDEX run_by_parent ON run(parent_id);
        CREATE INDEX run_by_status ON run(status);
        CREATE TABLE param (
          run_id TEXT NOT NULL REFERENCES run(id),
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_id, key)
        );
        CREATE TABLE tag (
          run_id TEXT NOT NULL REFERENCES run(id),
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_id, key)
        );
        -- A point logged twice (same step, time and value) is stored once.
        CREATE TABLE metric (
          run_id TEXT NOT NULL,
          key TEXT NOT NULL,
          step BIGINT NOT NULL,
          timestamp BIGINT NOT NULL,
          value DOUBLE PRECISION NOT NULL,
          PRIMARY KEY (run_id, key, step, timestamp, value)
        );
        CREATE TABLE latest_metric (
          run_id TEXT NOT NULL REFERENCES run(id),
          key TEXT NOT NULL,
          step BIGINT NOT NULL,
          value DOUBLE PRECISION NOT NULL,
          timestamp BIGINT NOT NULL,
          count BIGINT NOT NULL,
          PRIMARY KEY (run_id, key)
        );
        CREATE INDEX latest_metric_by_key ON latest_metric(key, value);
        CREATE TABLE artifact (
          run_id TEXT NOT NULL REFERENCES run(id),
          name TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          size BIGINT NOT NULL,
          storage_path TEXT NOT NULL,
          logged_at BIGINT NOT NULL,
          PRIMARY KEY (run_id, name)
        );
        CREATE TABLE dataset_input (
          run_id TEXT NOT NULL REFERENCES run(id),
          name TEXT NOT NULL,
          version TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          split TEXT NOT NULL,
          PRIMARY KEY (run_id, name, version, split)
        );
        CREATE TABLE audit_event (
          sequence BIGINT PRIMARY KEY,
          kind TEXT NOT NULL,
          run_id TEXT,
          timestamp BIGINT NOT NULL,
          payload TEXT NOT NULL,
          previous_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        CREATE INDEX audit_event_by_run ON audit_event(run_id);
        CREATE FUNCTION kiln_audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
        CREATE TRIGGER audit_event_is_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
          FOR EACH STATEMENT EXECUTE FUNCTION kiln_audit_event_is_append_only();
        -- Text read as a number for filters and sorts, NULL when it is not one (a CAST would fail the query).
        CREATE FUNCTION kiln_number(value TEXT) RETURNS DOUBLE PRECISION LANGUAGE plpgsql IMMUTABLE AS $$
          BEGIN RETURN value::DOUBLE PRECISION; EXCEPTION WHEN others THEN RETURN NULL; END $$;
        """),
      SQLMigration("v2: model registry", sql: """
        CREATE TABLE registered_model (
          name TEXT PRIMARY KEY,
          created_at BIGINT NOT NULL
        );
        CREATE TABLE model_version (
          model_name TEXT NOT NULL REFERENCES registered_model(name),
          version BIGINT NOT NULL,
          run_id TEXT NOT NULL REFERENCES run(id),
          checkpoint_artifact TEXT NOT NULL,
          checkpoint_sha256 TEXT,
          dataset_fingerprint TEXT NOT NULL,
          git_commit TEXT,
          configuration_hash TEXT NOT NULL,
          stage TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          stage_changed_at BIGINT NOT NULL,
          production_since BIGINT,
          last_event BIGINT NOT NULL,
          PRIMARY KEY (model_name, version)
        );
        CREATE INDEX model_version_by_run ON model_version(run_id);
        CREATE TABLE model_alias (
          model_name TEXT NOT NULL REFERENCES registered_model(name),
          alias TEXT NOT NULL,
          version BIGINT NOT NULL,
          PRIMARY KEY (model_name, alias)
        );
        """),
      SQLMigration("v3: sweep trials", sql: """
        CREATE TABLE sweep_trial (
          sweep_run_id TEXT NOT NULL REFERENCES run(id),
          number BIGINT NOT NULL,
          run_id TEXT,
          state TEXT NOT NULL,
          value DOUBLE PRECISION,
          error TEXT,
          payload TEXT NOT NULL,
          ready BOOLEAN NOT NULL,
          lease_owner TEXT,
          lease_host TEXT,
          lease_pid BIGINT,
          heartbeat_at BIGINT,
          start_time BIGINT NOT NULL,
          end_time BIGINT,
          restart_count BIGINT NOT NULL,
          PRIMARY KEY (sweep_run_id, number)
        );
        """),
    ]
  }
}
