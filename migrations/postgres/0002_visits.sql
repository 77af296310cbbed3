-- 申请人再次来办的记录（格式第 2 版）。
CREATE TABLE visits (
    number     TEXT NOT NULL REFERENCES notices (number),
    seq        INTEGER NOT NULL,
    visited_at TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    brought    TEXT NOT NULL,
    clerk      TEXT,
    "window"   TEXT,
    PRIMARY KEY (number, seq)
);
