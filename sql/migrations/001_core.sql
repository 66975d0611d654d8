-- Core tables. Uniqueness is enforced by the load (delete-then-insert per article) and checked by
-- the Great Expectations suites and sql/audits, not by index constraints.

CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,
    started_at_utc      TIMESTAMP NOT NULL,
    finished_at_utc     TIMESTAMP,
    status              VARCHAR NOT NULL,      -- running | completed | failed | blocked | aborted
    sources             VARCHAR[],
    full_refresh        BOOLEAN,
    n_seen              INTEGER,
    n_new               INTEGER,
    n_changed           INTEGER,
    n_unchanged         INTEGER,
    n_missing           INTEGER,
    n_rejected          INTEGER,
    n_duplicates        INTEGER,
    n_reextracted       INTEGER,
    n_pruned            INTEGER,
    n_articles_loaded   INTEGER,
    n_mentions          INTEGER,
    n_claims            INTEGER,
    n_quotes            INTEGER,
    dq_verdict          VARCHAR,
    message             VARCHAR,
    reextract_reason    VARCHAR,
    flakturm_version    VARCHAR,
    extractor_version   VARCHAR,
    catalog_version     VARCHAR,
    duckdb_version      VARCHAR,
    prefect_version     VARCHAR,
    timings_json        VARCHAR
);

CREATE TABLE source_files (
    path                VARCHAR NOT NULL,
    source_name         VARCHAR NOT NULL,
    size_bytes          BIGINT NOT NULL,
    mtime_ns            BIGINT NOT NULL,
    content_hash        VARCHAR,
    article_id          VARCHAR,
    status              VARCHAR NOT NULL,      -- ok | rejected | missing
    first_seen_run      VARCHAR,
    last_changed_run    VARCHAR,
    missing_since_run   VARCHAR
);

CREATE TABLE rejects (
    run_id              VARCHAR NOT NULL,
    path                VARCHAR NOT NULL,
    source_name         VARCHAR NOT NULL,
    reason              VARCHAR NOT NULL,
    detail              VARCHAR,
    size_bytes          BIGINT,
    mtime_ns            BIGINT,
    content_hash        VARCHAR
);

CREATE TABLE articles (
    article_id          VARCHAR NOT NULL,
    content_hash        VARCHAR NOT NULL,
    source_name         VARCHAR NOT NULL,
    title               VARCHAR,
    publisher           VARCHAR,
    url                 VARCHAR,
    published_date      DATE,
    author              VARCHAR,
    text                VARCHAR NOT NULL,
    text_format         VARCHAR NOT NULL,
    encoding            VARCHAR NOT NULL,
    encoding_fallback   BOOLEAN NOT NULL,
    n_chars             INTEGER NOT NULL,
    is_missing          BOOLEAN NOT NULL DEFAULT false,
    extractor_version   VARCHAR NOT NULL,
    catalog_version     VARCHAR NOT NULL
);

CREATE TABLE sentences (
    article_id          VARCHAR NOT NULL,
    sentence_idx        INTEGER NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL
);

CREATE TABLE mentions (
    mention_id          VARCHAR NOT NULL,
    article_id          VARCHAR NOT NULL,
    entity_type         VARCHAR NOT NULL,
    entity_id           VARCHAR NOT NULL,
    surface             VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    sentence_idx        INTEGER NOT NULL,
    method              VARCHAR NOT NULL,
    confidence          DOUBLE NOT NULL
);

CREATE TABLE claims (
    claim_id            VARCHAR NOT NULL,
    article_id          VARCHAR NOT NULL,
    sentence_idx        INTEGER NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    claim_type          VARCHAR NOT NULL,
    certainty           VARCHAR NOT NULL,
    attributed_to       VARCHAR,
    attributed_to_id    VARCHAR,
    relay_chain         VARCHAR[],
    original_source     VARCHAR,
    event_date          DATE,
    event_date_precision VARCHAR NOT NULL,
    date_reason         VARCHAR,
    place_reason        VARCHAR,
    system_ids          VARCHAR[],
    site_ids            VARCHAR[],
    actor_ids           VARCHAR[],
    confidence          DOUBLE NOT NULL
);

CREATE TABLE deployments (
    claim_id            VARCHAR NOT NULL,
    article_id          VARCHAR NOT NULL,
    system_id           VARCHAR NOT NULL,
    site_id             VARCHAR NOT NULL,
    link                VARCHAR NOT NULL
);

CREATE TABLE quotes (
    quote_id            VARCHAR NOT NULL,
    article_id          VARCHAR NOT NULL,
    speaker_id          VARCHAR,
    speaker_surface     VARCHAR,
    quote               VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    sentence_idx        INTEGER NOT NULL,
    is_continuation     BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE review_items (
    item_id             VARCHAR NOT NULL,
    article_id          VARCHAR NOT NULL,
    entity_type         VARCHAR,
    entity_id           VARCHAR,
    surface             VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    reason              VARCHAR NOT NULL
);

CREATE TABLE systems (
    system_id           VARCHAR NOT NULL,
    name                VARCHAR NOT NULL,
    aliases             VARCHAR[] NOT NULL,
    category            VARCHAR,
    nato_name           VARCHAR,
    grau_index          VARCHAR,
    origin_country      VARCHAR,
    family              VARCHAR,
    curated             BOOLEAN NOT NULL
);

CREATE TABLE sites (
    site_id             VARCHAR NOT NULL,
    name                VARCHAR NOT NULL,
    aliases             VARCHAR[] NOT NULL,
    site_type           VARCHAR,
    lat                 DOUBLE,
    lon                 DOUBLE,
    parent              VARCHAR,
    country             VARCHAR,
    curated             BOOLEAN NOT NULL
);

CREATE TABLE actors (
    actor_id            VARCHAR NOT NULL,
    name                VARCHAR NOT NULL,
    aliases             VARCHAR[] NOT NULL,
    actor_type          VARCHAR,
    affiliation         VARCHAR,
    role                VARCHAR,
    curated             BOOLEAN NOT NULL
);

CREATE TABLE dq_results (
    run_id              VARCHAR NOT NULL,
    batch_no            INTEGER NOT NULL,
    suite               VARCHAR NOT NULL,
    expectation         VARCHAR NOT NULL,
    column_name         VARCHAR,
    severity            VARCHAR NOT NULL,     -- error | warning
    success             BOOLEAN NOT NULL,
    unexpected_count    BIGINT,
    detail              VARCHAR,
    checked_at_utc      TIMESTAMP NOT NULL
);

CREATE TABLE meta (
    key                 VARCHAR NOT NULL,
    value               VARCHAR
);

CREATE SCHEMA quarantine;

CREATE TABLE quarantine.batches (
    run_id              VARCHAR NOT NULL,
    batch_no            INTEGER NOT NULL,
    failed_expectations VARCHAR[],
    summary             VARCHAR,
    n_articles          INTEGER,
    quarantined_at_utc  TIMESTAMP NOT NULL
);

CREATE TABLE quarantine.rows (
    run_id              VARCHAR NOT NULL,
    batch_no            INTEGER NOT NULL,
    table_name          VARCHAR NOT NULL,
    row_json            VARCHAR NOT NULL
);
