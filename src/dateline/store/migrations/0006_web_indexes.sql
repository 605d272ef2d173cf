-- Indexes for the web pages' read paths (see bench/web.py).
-- Actor pages and facets look events up by recipient as often as by actor.
CREATE INDEX IF NOT EXISTS events_recipient ON events(recipient_country, date_start);
-- Event lists by place (map drill-down).
CREATE INDEX IF NOT EXISTS events_place ON events(location_country);
