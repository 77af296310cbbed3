-- 大厅服务器的账号、会话、接口客户端和审计日志（格式第 4 版）。
CREATE TABLE accounts (
    name       TEXT PRIMARY KEY,
    "window"   TEXT,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    digest  TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    csrf    TEXT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE clients (
    name       TEXT PRIMARY KEY,
    digest     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE
);
-- 审计日志的序号可以有空缺（它不是告知单编号）。
CREATE TABLE audit (
    seq     BIGSERIAL PRIMARY KEY,
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    address TEXT NOT NULL
);
