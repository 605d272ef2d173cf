-- Feeds polled by `dateline watch` (and read by `dateline ingest FEED`): one row of polling state per feed.
CREATE TABLE feeds (
    url             TEXT PRIMARY KEY,
    title           TEXT,
    language        TEXT,
    etag            TEXT,                       -- validators for the next conditional GET
    last_modified   TEXT,
    last_polled     TEXT,                       -- ISO-8601 UTC
    last_new_at     TEXT,                       -- when a poll last found a new entry
    next_poll_at    TEXT,                       -- ISO-8601 UTC; NULL = due now
    failures        INTEGER NOT NULL DEFAULT 0, -- consecutive failed polls (drives the backoff)
    last_error      TEXT,
    seen            TEXT NOT NULL DEFAULT '[]', -- JSON list of entry ids/URLs already handled, oldest first
    attempts        TEXT NOT NULL DEFAULT '{}', -- JSON {entry key: transient failures so far}
    updated_at      TEXT NOT NULL
);
CREATE INDEX feeds_next_poll ON feeds(next_poll_at);

-- Feed and sitemap ingest asks "is this URL already stored?" before fetching; redirects often land on the
-- canonical URL, so that column is looked up too.
CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles(canonical_url);
