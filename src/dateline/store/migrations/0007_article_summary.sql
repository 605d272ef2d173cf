-- Per-article summaries for faceted search (see store/web_queries.py, bench/web.py).
--
-- article_summary: the article columns search filters read (current version, day, language,
-- document), one narrow row per article. Article rows carry the whole text, so checking a filter on
-- thousands of search hits there reads overflow pages; here it reads a few bytes. Columns keep the
-- names they have in ``articles`` so the shared filter SQL applies unchanged.
CREATE TABLE article_summary (
    id              INTEGER PRIMARY KEY,        -- = articles.id
    document_id     INTEGER NOT NULL,
    is_current      INTEGER NOT NULL,
    published_day   TEXT,
    language        TEXT
);

-- Triggers keep it right whatever writes articles (ingest, re-versioning, raw SQL in tools).
CREATE TRIGGER article_summary_ai AFTER INSERT ON articles BEGIN
    INSERT OR REPLACE INTO article_summary(id, document_id, is_current, published_day, language)
    VALUES (new.id, new.document_id, new.is_current, new.published_day, new.language);
END;
CREATE TRIGGER article_summary_au AFTER UPDATE OF id, document_id, is_current, published_day, language
    ON articles BEGIN
    DELETE FROM article_summary WHERE id = old.id;
    INSERT OR REPLACE INTO article_summary(id, document_id, is_current, published_day, language)
    VALUES (new.id, new.document_id, new.is_current, new.published_day, new.language);
END;
CREATE TRIGGER article_summary_ad AFTER DELETE ON articles BEGIN
    DELETE FROM article_summary WHERE id = old.id;
END;

INSERT INTO article_summary(id, document_id, is_current, published_day, language)
SELECT id, document_id, is_current, published_day, language FROM articles;

-- article_event_facets: what the article's coded events are about.
--
-- One row per distinct (article, country, event type, quad class) an article's events carry, where the
-- country is the event's actor or recipient country, and '' stands for "any actor" (every event has
-- that row, so type and quad-class facets need not look at countries). Keeping type, country and
-- quad class in one row keeps "actor X AND type T" meaning "one event with both", exactly as the
-- filter over events does. quad_class 0 stands for "not coded" (primary key columns cannot be NULL).
--
-- The table is narrow and WITHOUT ROWID, so a facet filter on one search hit is a single primary-key
-- probe instead of reading every event row of the article.
CREATE TABLE article_event_facets (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    country     TEXT NOT NULL,                  -- actor or recipient country (alpha-3); '' = any
    type        TEXT NOT NULL,                  -- PLOVER event type
    quad_class  INTEGER NOT NULL,               -- 1..4; 0 = not coded
    PRIMARY KEY (article_id, country, type, quad_class)
) WITHOUT ROWID;
-- Searches without a query text start from the facet value, not from the articles.
CREATE INDEX article_event_facets_value ON article_event_facets(country, type, quad_class, article_id);

-- Triggers keep it right whatever writes events (analysis, loaders, raw SQL in tools).
CREATE TRIGGER article_event_facets_ai AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO article_event_facets(article_id, country, type, quad_class)
    SELECT new.article_id, c, new.type, coalesce(new.quad_class, 0)
    FROM (SELECT '' AS c UNION SELECT new.actor_country UNION SELECT new.recipient_country)
    WHERE c IS NOT NULL;
END;

-- A deleted event takes away only the rows no remaining event of its article still supports.
-- (clear_analysis empties an article's rows first, so replacing an analysis finds nothing to check.)
CREATE TRIGGER article_event_facets_ad AFTER DELETE ON events BEGIN
    DELETE FROM article_event_facets
    WHERE article_id = old.article_id AND type = old.type AND quad_class = coalesce(old.quad_class, 0)
      AND country IN ('', coalesce(old.actor_country, ''), coalesce(old.recipient_country, ''))
      AND NOT EXISTS (
          SELECT 1 FROM events e
          WHERE e.article_id = old.article_id AND e.type = old.type
            AND coalesce(e.quad_class, 0) = coalesce(old.quad_class, 0)
            AND (article_event_facets.country = '' OR e.actor_country = article_event_facets.country
                 OR e.recipient_country = article_event_facets.country));
END;

-- Facet columns of an event rarely change in place, but when they do the summary follows.
CREATE TRIGGER article_event_facets_au AFTER UPDATE OF article_id, type, quad_class, actor_country,
    recipient_country ON events BEGIN
    DELETE FROM article_event_facets
    WHERE article_id = old.article_id AND type = old.type AND quad_class = coalesce(old.quad_class, 0)
      AND country IN ('', coalesce(old.actor_country, ''), coalesce(old.recipient_country, ''))
      AND NOT EXISTS (
          SELECT 1 FROM events e
          WHERE e.article_id = old.article_id AND e.type = old.type
            AND coalesce(e.quad_class, 0) = coalesce(old.quad_class, 0)
            AND (article_event_facets.country = '' OR e.actor_country = article_event_facets.country
                 OR e.recipient_country = article_event_facets.country));
    INSERT OR IGNORE INTO article_event_facets(article_id, country, type, quad_class)
    SELECT new.article_id, c, new.type, coalesce(new.quad_class, 0)
    FROM (SELECT '' AS c UNION SELECT new.actor_country UNION SELECT new.recipient_country)
    WHERE c IS NOT NULL;
END;

-- Backfill for stores analysed before this migration.
INSERT OR IGNORE INTO article_event_facets(article_id, country, type, quad_class)
SELECT article_id, '', type, coalesce(quad_class, 0) FROM events
UNION SELECT article_id, actor_country, type, coalesce(quad_class, 0) FROM events WHERE actor_country IS NOT NULL
UNION SELECT article_id, recipient_country, type, coalesce(quad_class, 0) FROM events WHERE recipient_country IS NOT NULL;
