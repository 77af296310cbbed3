-- 多个大厅共用一个登记簿（格式第 5 版）：告知单记下出具它的大厅（hall），
-- 编号计数按“序列”（sequence）分开：空串是全市共用的序列，编号格式含
-- {hall} 时是该大厅自己的序列。序号在同一序列、同一年里唯一。
ALTER TABLE notices ADD COLUMN hall TEXT;
ALTER TABLE notices ADD COLUMN sequence TEXT NOT NULL DEFAULT '';
ALTER TABLE notices DROP CONSTRAINT notices_year_seq;
ALTER TABLE notices ADD CONSTRAINT notices_sequence_year_seq UNIQUE (sequence, year, seq);
ALTER TABLE counters ADD COLUMN sequence TEXT NOT NULL DEFAULT '';
ALTER TABLE counters DROP CONSTRAINT counters_pkey;
ALTER TABLE counters ADD PRIMARY KEY (sequence, year);
