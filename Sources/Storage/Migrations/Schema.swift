/// The metadata schema, one migration per step. Never edit a released migration: add one.
public enum Schema {
    public static let migrations: [Migration] = [tracking, registry, loggedModelsAndArtifacts, deployments]

    static let tracking = Migration(version: 1, name: "tracking", statements: [
        """
        CREATE TABLE experiments (
            experiment_id {identity},
            name TEXT NOT NULL UNIQUE,
            artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_update_time BIGINT NOT NULL)
        """,
        """
        CREATE TABLE experiment_tags (
            experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key))
        """,
        """
        CREATE TABLE runs (
            run_uuid TEXT PRIMARY KEY,
            experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
            run_name TEXT NOT NULL,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL,
            start_time BIGINT NOT NULL,
            end_time BIGINT,
            lifecycle_stage TEXT NOT NULL,
            artifact_uri TEXT NOT NULL,
            deleted_time BIGINT)
        """,
        "CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time)",
        """
        CREATE TABLE run_tags (
            run_uuid TEXT NOT NULL REFERENCES runs(run_uuid) ON DELETE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (run_uuid, key))
        """,
        """
        CREATE TABLE params (
            run_uuid TEXT NOT NULL REFERENCES runs(run_uuid) ON DELETE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (run_uuid, key))
        """,
        """
        CREATE TABLE metrics (
            run_uuid TEXT NOT NULL REFERENCES runs(run_uuid) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            is_nan SMALLINT NOT NULL,
            timestamp BIGINT NOT NULL,
            step BIGINT NOT NULL)
        """,
        "CREATE INDEX metrics_by_run_key ON metrics (run_uuid, key, step, timestamp)",
        """
        CREATE TABLE latest_metrics (
            run_uuid TEXT NOT NULL REFERENCES runs(run_uuid) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            is_nan SMALLINT NOT NULL,
            timestamp BIGINT NOT NULL,
            step BIGINT NOT NULL,
            PRIMARY KEY (run_uuid, key))
        """,
    ])

    static let registry = Migration(version: 2, name: "registry", statements: [
        """
        CREATE TABLE registered_models (
            name TEXT PRIMARY KEY,
            description TEXT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_updated_time BIGINT NOT NULL,
            next_version BIGINT NOT NULL)
        """,
        """
        CREATE TABLE registered_model_tags (
            name TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE ON UPDATE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (name, key))
        """,
        """
        CREATE TABLE model_versions (
            name TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE ON UPDATE CASCADE,
            version BIGINT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_updated_time BIGINT NOT NULL,
            description TEXT NOT NULL,
            user_id TEXT NOT NULL,
            current_stage TEXT NOT NULL,
            source TEXT NOT NULL,
            run_id TEXT NOT NULL,
            run_link TEXT NOT NULL,
            status TEXT NOT NULL,
            status_message TEXT NOT NULL,
            model_id TEXT NOT NULL,
            parent_version BIGINT,
            PRIMARY KEY (name, version))
        """,
        """
        CREATE TABLE model_version_tags (
            name TEXT NOT NULL, version BIGINT NOT NULL,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (name, version, key),
            FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON DELETE CASCADE ON UPDATE CASCADE)
        """,
        """
        CREATE TABLE registered_model_aliases (
            name TEXT NOT NULL, alias TEXT NOT NULL, version BIGINT NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON DELETE CASCADE ON UPDATE CASCADE)
        """,
        """
        CREATE TABLE model_events (
            event_id {identity},
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            from_value TEXT,
            to_value TEXT,
            actor TEXT NOT NULL,
            event_time BIGINT NOT NULL)
        """,
        "CREATE INDEX model_events_by_model ON model_events (name, event_time)",
    ])

    static let loggedModelsAndArtifacts = Migration(version: 3, name: "logged_models_and_artifacts", statements: [
        """
        CREATE TABLE logged_models (
            model_id TEXT PRIMARY KEY,
            experiment_id BIGINT NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            artifact_location TEXT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_updated_time BIGINT NOT NULL,
            status TEXT NOT NULL,
            status_message TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL,
            model_type TEXT NOT NULL,
            source_run_id TEXT NOT NULL)
        """,
        """
        CREATE TABLE logged_model_tags (
            model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (model_id, key))
        """,
        """
        CREATE TABLE logged_model_params (
            model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (model_id, key))
        """,
        """
        CREATE TABLE run_outputs (
            run_uuid TEXT NOT NULL REFERENCES runs(run_uuid) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            step BIGINT NOT NULL,
            PRIMARY KEY (run_uuid, model_id))
        """,
        """
        CREATE TABLE artifact_files (
            path TEXT PRIMARY KEY,
            digest TEXT NOT NULL,
            size BIGINT NOT NULL,
            created_time BIGINT NOT NULL)
        """,
    ])

    /// Serving deployments: the spec and rollout state as JSON documents (the platform owns
    /// their shape), and an append-only event history.
    static let deployments = Migration(version: 4, name: "deployments", statements: [
        """
        CREATE TABLE deployments (
            name TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            state TEXT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_update_time BIGINT NOT NULL)
        """,
        """
        CREATE TABLE deployment_events (
            event_id {identity},
            deployment TEXT NOT NULL REFERENCES deployments(name) ON DELETE CASCADE,
            time BIGINT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL)
        """,
        "CREATE INDEX deployment_events_by_deployment ON deployment_events (deployment, event_id)",
    ])
}
