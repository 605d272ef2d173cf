-- Stories (clusters of articles about one news story), copies (near-duplicates, translations),
-- the persisted LSH band index and document frequencies, and world events (events grouped across reports).
CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    title           TEXT,
    first_ts        REAL NOT NULL,              -- epoch seconds (UTC) of the earliest article
    last_ts         REAL NOT NULL,
    first_published TEXT,                       -- ISO, for display and --since
    last_published  TEXT,
    article_count   INTEGER NOT NULL DEFAULT 0,
    centroid        TEXT NOT NULL DEFAULT '{}', -- JSON: summed unit sub-vectors (terms, entities, anchors)
    updated_at      TEXT NOT NULL
);
CREATE INDEX stories_last ON stories(last_ts);
CREATE INDEX stories_first ON stories(first_ts);

CREATE TABLE story_articles (
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    similarity  REAL,
    ts          REAL NOT NULL,                  -- the time the clusterer used for the article
    PRIMARY KEY (story_id, article_id)
);

CREATE TABLE article_copies (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    original_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,                  -- duplicate | translation
    similarity  REAL NOT NULL
);
CREATE INDEX article_copies_original ON article_copies(original_id);

CREATE TABLE minhash_bands (
    band        INTEGER NOT NULL,
    key         INTEGER NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, article_id)
) WITHOUT ROWID;
CREATE INDEX minhash_bands_article ON minhash_bands(article_id);

CREATE TABLE term_df (
    term    TEXT PRIMARY KEY,
    df      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE story_meta (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);

CREATE TABLE world_events (
    id                  INTEGER PRIMARY KEY,
    type                TEXT NOT NULL,
    actor_country       TEXT,
    recipient_country   TEXT,
    date_start          TEXT NOT NULL,          -- YYYY-MM-DD, earliest member event date
    date_end            TEXT NOT NULL,
    event_count         INTEGER NOT NULL DEFAULT 0,
    mention_count       INTEGER NOT NULL DEFAULT 0,
    article_count       INTEGER NOT NULL DEFAULT 0,
    source_count        INTEGER NOT NULL DEFAULT 0, -- independent reports: copies count once
    story_id            INTEGER,
    updated_at          TEXT NOT NULL
);
CREATE INDEX world_events_key ON world_events(type, actor_country, recipient_country, date_start);

CREATE INDEX articles_language_day ON articles(language, published_day);
