-- article_summary gains the two things search still read elsewhere (see store/web_queries.py):
--
-- source_id: the article's source (documents.source_id). A source filter used to turn the source
--   name into the list of its document ids on every request; now it is one equality on the row.
-- sort_key:  coalesce(published, created_at), the order the article list uses (queries.list_articles).
--   With an index on it, a search without query text reads its first page in order instead of
--   sorting every matching article.
--
-- The table is rebuilt rather than altered so its definition reads whole in one place; the triggers
-- of 0007 name its columns, so they are replaced too.
DROP TRIGGER article_summary_ai;
DROP TRIGGER article_summary_au;
DROP TRIGGER article_summary_ad;
DROP TABLE article_summary;

CREATE TABLE article_summary (
    id              INTEGER PRIMARY KEY,        -- = articles.id
    document_id     INTEGER NOT NULL,
    is_current      INTEGER NOT NULL,
    published_day   TEXT,
    language        TEXT,
    source_id       INTEGER,                    -- = documents.source_id (NULL: document without source)
    sort_key        TEXT                        -- = coalesce(articles.published, articles.created_at)
);

CREATE TRIGGER article_summary_ai AFTER INSERT ON articles BEGIN
    INSERT OR REPLACE INTO article_summary(id, document_id, is_current, published_day, language, source_id, sort_key)
    VALUES (new.id, new.document_id, new.is_current, new.published_day, new.language,
            (SELECT d.source_id FROM documents d WHERE d.id = new.document_id),
            coalesce(new.published, new.created_at));
END;
CREATE TRIGGER article_summary_au AFTER UPDATE OF id, document_id, is_current, published_day, language, published,
    created_at ON articles BEGIN
    DELETE FROM article_summary WHERE id = old.id;
    INSERT OR REPLACE INTO article_summary(id, document_id, is_current, published_day, language, source_id, sort_key)
    VALUES (new.id, new.document_id, new.is_current, new.published_day, new.language,
            (SELECT d.source_id FROM documents d WHERE d.id = new.document_id),
            coalesce(new.published, new.created_at));
END;
CREATE TRIGGER article_summary_ad AFTER DELETE ON articles BEGIN
    DELETE FROM article_summary WHERE id = old.id;
END;
-- A document moved to another source (rare: tools, merges) takes its article's summary along.
-- articles.document_id is UNIQUE, so finding the article is an index lookup.
CREATE TRIGGER article_summary_document_au AFTER UPDATE OF source_id ON documents BEGIN
    UPDATE article_summary SET source_id = new.source_id
    WHERE id IN (SELECT a.id FROM articles a WHERE a.document_id = new.id);
END;

INSERT INTO article_summary(id, document_id, is_current, published_day, language, source_id, sort_key)
SELECT a.id, a.document_id, a.is_current, a.published_day, a.language, d.source_id, coalesce(a.published, a.created_at)
FROM articles a LEFT JOIN documents d ON d.id = a.document_id;

-- Newest-first listing of current articles: read backwards, the first page comes without a sort.
-- Partial (current articles only) and without is_current as a column, so queries that merely say
-- "is_current = 1" are not steered into it for an equality. It carries every column a filter reads,
-- so when the planner does scan it (timelines, counts) no entry costs a lookup in the table.
CREATE INDEX article_summary_order ON article_summary(sort_key, id, published_day, language, source_id)
    WHERE is_current = 1;
-- Source filters with a rare source start from the source's articles.
CREATE INDEX article_summary_source ON article_summary(source_id, is_current);
