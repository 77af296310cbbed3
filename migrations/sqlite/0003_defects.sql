-- 带来了但需补正的材料及原因（格式第 3 版），与 missing 一样是 JSON 列表。
ALTER TABLE notices ADD COLUMN defects TEXT NOT NULL DEFAULT '[]';
