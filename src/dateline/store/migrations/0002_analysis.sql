-- What analysis found in an article: sentences, entity mentions with resolved actors, places, time expressions.
CREATE TABLE actors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    country     TEXT,
    sector      TEXT,
    role        TEXT,
    ext_id      TEXT,
    UNIQUE (name, kind, country, sector, role)
);
CREATE INDEX actors_country ON actors(country);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,            -- position within the article's mention list
    text        TEXT NOT NULL,
    label       TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES actors(id),
    coref_of    INTEGER,
    explain     TEXT
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_actor ON mentions(actor_id);

CREATE TABLE places (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    country     TEXT,
    lat         REAL,
    lon         REAL,
    geonames_id INTEGER,
    feature     TEXT
);
CREATE INDEX places_article ON places(article_id);
CREATE INDEX places_country ON places(country);

CREATE TABLE time_expressions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    value       TEXT,
    precision   TEXT,
    start_date  TEXT,
    end_date    TEXT,
    reason      TEXT
);
CREATE INDEX time_expressions_article ON time_expressions(article_id);
CREATE INDEX time_expressions_start ON time_expressions(start_date);
