-- article_actor_names: which actor names an article's coded events carry (see store/web_queries.py).
--
-- A search filtered by an actor *name* (/search?actor=Blinken, an actor page's article list) used to
-- test every candidate article's event rows, and for a name few or no articles carry that meant
-- reading all of `events`. Here the name leads the key, so the articles carrying it are one index
-- range, and "no such name" is a single probe.
--
-- One row per distinct (normalised name, article) over the four strings an actor filter compares:
-- actor and recipient name (resolved) and text (as written). Normalised = lower(trim(..)), SQLite's
-- lower(), which folds ASCII letters only; queries normalise their parameter with the same
-- expression, so both sides always agree. Empty strings are not names and get no row.
--
-- Only names are kept, not event type or quad class: a filter combining a name with those still
-- checks "one event with both" on the (few) articles the name selects.
CREATE TABLE article_actor_names (
    name        TEXT NOT NULL,                  -- lower(trim(actor/recipient name or text))
    article_id  INTEGER NOT NULL,               -- = events.article_id
    PRIMARY KEY (name, article_id)
) WITHOUT ROWID;
-- No foreign key and no index by article: rows follow events, not articles (a deleted article's
-- events cascade, and their delete trigger removes its rows), so the name key is the only index.

-- Triggers keep it right whatever writes events (analysis, loaders, raw SQL in tools).
CREATE TRIGGER article_actor_names_ai AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO article_actor_names(name, article_id)
    SELECT n, new.article_id
    FROM (SELECT lower(trim(new.actor_name)) AS n UNION SELECT lower(trim(new.recipient_name))
          UNION SELECT lower(trim(new.actor_text)) UNION SELECT lower(trim(new.recipient_text)))
    WHERE n IS NOT NULL AND n != '';
END;

-- A deleted event takes away only the names no remaining event of its article still carries.
CREATE TRIGGER article_actor_names_ad AFTER DELETE ON events BEGIN
    DELETE FROM article_actor_names
    WHERE article_id = old.article_id
      AND name IN (lower(trim(old.actor_name)), lower(trim(old.recipient_name)),
                   lower(trim(old.actor_text)), lower(trim(old.recipient_text)))
      AND NOT EXISTS (
          SELECT 1 FROM events e
          WHERE e.article_id = old.article_id
            AND article_actor_names.name IN (lower(trim(e.actor_name)), lower(trim(e.recipient_name)),
                                             lower(trim(e.actor_text)), lower(trim(e.recipient_text))));
END;

-- Names are rarely edited in place (actor resolution rerun by a tool), but when they are the table follows.
CREATE TRIGGER article_actor_names_au AFTER UPDATE OF article_id, actor_name, recipient_name, actor_text,
    recipient_text ON events BEGIN
    DELETE FROM article_actor_names
    WHERE article_id = old.article_id
      AND name IN (lower(trim(old.actor_name)), lower(trim(old.recipient_name)),
                   lower(trim(old.actor_text)), lower(trim(old.recipient_text)))
      AND NOT EXISTS (
          SELECT 1 FROM events e
          WHERE e.article_id = old.article_id
            AND article_actor_names.name IN (lower(trim(e.actor_name)), lower(trim(e.recipient_name)),
                                             lower(trim(e.actor_text)), lower(trim(e.recipient_text))));
    INSERT OR IGNORE INTO article_actor_names(name, article_id)
    SELECT n, new.article_id
    FROM (SELECT lower(trim(new.actor_name)) AS n UNION SELECT lower(trim(new.recipient_name))
          UNION SELECT lower(trim(new.actor_text)) UNION SELECT lower(trim(new.recipient_text)))
    WHERE n IS NOT NULL AND n != '';
END;

-- Backfill for stores analysed before this migration.
INSERT OR IGNORE INTO article_actor_names(name, article_id)
SELECT n, article_id FROM (
    SELECT lower(trim(actor_name)) AS n, article_id FROM events
    UNION SELECT lower(trim(recipient_name)), article_id FROM events
    UNION SELECT lower(trim(actor_text)), article_id FROM events
    UNION SELECT lower(trim(recipient_text)), article_id FROM events)
WHERE n IS NOT NULL AND n != '';
