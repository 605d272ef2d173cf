-- PLOVER-coded events with provenance; one row per event per article, mentions per sentence.
CREATE TABLE events (
    id                  INTEGER PRIMARY KEY,
    article_id          INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx                 INTEGER NOT NULL,
    type                TEXT NOT NULL,
    mode                TEXT,
    status              TEXT NOT NULL,
    contexts            TEXT NOT NULL DEFAULT '[]',
    actor_text          TEXT, actor_name TEXT, actor_country TEXT, actor_sector TEXT, actor_role TEXT, actor_id TEXT,
    recipient_text      TEXT, recipient_name TEXT, recipient_country TEXT, recipient_sector TEXT, recipient_role TEXT, recipient_id TEXT,
    location_text       TEXT, location_name TEXT, location_country TEXT, lat REAL, lon REAL, geonames_id INTEGER,
    date_text           TEXT, date_value TEXT, date_precision TEXT, date_start TEXT, date_end TEXT,
    attribution_text    TEXT, attribution_country TEXT, attribution_sector TEXT,
    sentence            TEXT NOT NULL,
    sentence_index      INTEGER NOT NULL,
    start               INTEGER NOT NULL,
    end                 INTEGER NOT NULL,
    trigger             TEXT NOT NULL,
    score               REAL,
    quad_class          INTEGER,
    cameo               TEXT,
    goldstein           REAL,
    explain             TEXT NOT NULL,
    decided_by          TEXT NOT NULL DEFAULT 'rules',
    world_event_id      INTEGER
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_dyad ON events(actor_country, recipient_country, date_start);
CREATE INDEX events_type ON events(type, date_start);
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_world ON events(world_event_id);

CREATE TABLE event_mentions (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_index  INTEGER NOT NULL,
    sentence        TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    trigger         TEXT NOT NULL
);
CREATE INDEX event_mentions_event ON event_mentions(event_id);
