-- 告知单和每年的编号计数（格式第 1 版）。
-- 编号不用 PostgreSQL 的 SEQUENCE（事务回滚时它会跳号）：计数表 counters
-- 与告知单在同一个事务里更新。"window" 是 PostgreSQL 的保留字，须加引号。
CREATE TABLE notices (
    number      TEXT PRIMARY KEY,
    year        INTEGER NOT NULL,
    seq         BIGINT NOT NULL CHECK (seq > 0),
    matter_id   TEXT NOT NULL,
    matter_name TEXT NOT NULL,
    edition     TEXT NOT NULL,
    applicant   TEXT NOT NULL,
    phone       TEXT,
    clerk       TEXT,
    "window"    TEXT,
    situations  TEXT NOT NULL,
    missing     TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    pdf         BYTEA NOT NULL,
    digest      TEXT,
    CONSTRAINT notices_year_seq UNIQUE (year, seq)
);
CREATE INDEX notices_matter ON notices (matter_id);
CREATE INDEX notices_issued ON notices (issued_at);
CREATE TABLE counters (
    year INTEGER PRIMARY KEY,
    last BIGINT NOT NULL
);
