-- 大厅服务器的账号、会话、接口客户端和审计日志（格式第 4 版）。
CREATE TABLE IF NOT EXISTS accounts (
    name       TEXT PRIMARY KEY,
    window     TEXT,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    digest  TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    csrf    TEXT NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (
    name       TEXT PRIMARY KEY,
    digest     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS audit (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    address TEXT NOT NULL
);
