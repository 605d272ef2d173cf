-- Sources, raw documents (compressed, re-processable), clean articles, full-text index.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL DEFAULT 'file',   -- file | url | feed | sitemap | warc | jsonl
    url         TEXT,
    title       TEXT,
    language    TEXT,
    meta        TEXT,                           -- JSON
    created_at  TEXT NOT NULL
);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER REFERENCES sources(id),
    url             TEXT,
    path            TEXT,
    content_hash    TEXT NOT NULL UNIQUE,       -- sha256 of the raw bytes
    raw             BLOB NOT NULL,              -- zlib-compressed raw bytes
    raw_size        INTEGER NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'html',
    encoding_hint   TEXT,
    published_hint  TEXT,
    fetched_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    supersedes      INTEGER REFERENCES documents(id)
);
CREATE INDEX documents_url ON documents(url);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL UNIQUE REFERENCES documents(id),
    url             TEXT,
    canonical_url   TEXT,
    title           TEXT,
    published       TEXT,
    published_day   TEXT,                       -- YYYY-MM-DD, for ranges and sorting
    modified        TEXT,
    authors         TEXT NOT NULL DEFAULT '[]', -- JSON list
    language        TEXT,
    site_name       TEXT,
    description     TEXT,
    tags            TEXT NOT NULL DEFAULT '[]', -- JSON list
    image           TEXT,
    text            TEXT NOT NULL,
    text_hash       TEXT NOT NULL,
    word_count      INTEGER NOT NULL DEFAULT 0,
    is_current      INTEGER NOT NULL DEFAULT 1, -- 0 once a newer version of the same URL arrived
    analysis_status TEXT NOT NULL DEFAULT 'pending', -- pending | done | skipped | failed
    analysis_note   TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published_day);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_analysis ON articles(analysis_status);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, coalesce(old.title, ''), old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
END;

-- Items an ingest run could not take, with the reason, so a summary can be rebuilt later.
CREATE TABLE ingest_failures (
    id          INTEGER PRIMARY KEY,
    item        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL
);
