-- 多个大厅共用一个登记簿（格式第 5 版）：告知单记下出具它的大厅（hall），
-- 编号计数按“序列”（sequence）分开：空串是全登记簿共用的序列，编号格式含
-- {hall} 时是该大厅自己的序列。序号在同一序列、同一年里唯一。
-- SQLite 不能修改表的唯一约束，所以重建 notices 和 counters。
CREATE TABLE notices_5 (
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
    defects     TEXT NOT NULL DEFAULT '[]',
    hall        TEXT,
    sequence    TEXT NOT NULL DEFAULT '',
    UNIQUE (sequence, year, seq)
);
INSERT INTO notices_5 (number, year, seq, matter_id, matter_name, edition, applicant, phone,
        clerk, window, situations, missing, issued_at, pdf, digest, defects)
    SELECT number, year, seq, matter_id, matter_name, edition, applicant, phone,
        clerk, window, situations, missing, issued_at, pdf, digest, defects
    FROM notices;
DROP TABLE notices;
ALTER TABLE notices_5 RENAME TO notices;
CREATE INDEX notices_matter ON notices (matter_id);
CREATE INDEX notices_issued ON notices (issued_at);
CREATE TABLE counters_5 (
    sequence TEXT NOT NULL DEFAULT '',
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (sequence, year)
);
INSERT INTO counters_5 (sequence, year, last) SELECT '', year, last FROM counters;
DROP TABLE counters;
ALTER TABLE counters_5 RENAME TO counters;
