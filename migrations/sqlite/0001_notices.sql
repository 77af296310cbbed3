-- 告知单和每年的编号计数（格式第 1 版）。从第 0 版升级时，计数取已有告知单的最大序号。
CREATE TABLE IF NOT EXISTS notices (
    number      TEXT PRIMARY KEY,
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    matter_id   TEXT NOT NULL,
    matter_name TEXT NOT NULL,
    edition     TEXT NOT NULL,
    applicant   TEXT NOT NULL,
    phone       TEXT,
    clerk       TEXT,
    window      TEXT,
    situations  TEXT NOT NULL,
    missing     TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    pdf         BLOB NOT NULL,
    digest      TEXT,
    UNIQUE (year, seq)
);
CREATE INDEX IF NOT EXISTS notices_matter ON notices (matter_id);
CREATE INDEX IF NOT EXISTS notices_issued ON notices (issued_at);
CREATE TABLE IF NOT EXISTS counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT OR IGNORE INTO counters (year, last)
    SELECT year, MAX(seq) FROM notices GROUP BY year;
