#!/usr/bin/env python3
"""Independent sanity check of a generated corpus (test aid, needs PyYAML).

    python3 bench/check_corpus.py DIR

Parses every file with PyYAML and re-checks, in Python, the rules of
docs/format.md that `guide check` reports as errors or warnings, so a corpus
can be trusted before the tool exists.  Prints file-size and character
statistics.  Exit 1 on any problem.
"""

import datetime as dt
import os
import re
import statistics
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check_corpus.py needs PyYAML (pip install pyyaml); the generator does not")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KINDS = {"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认",
         "行政奖励", "行政裁决", "其他行政权力", "公共服务"}
AUD = {"自然人", "法人", "其他组织"}
FORMS = {"原件": (1, 0), "复印件": (0, 1), "原件和复印件": (1, 1), "电子": (0, 0)}
NECESSITY = {"必要", "非必要", "容缺后补"}
SOURCES = {"申请人自备", "政府部门核发", "电子证照", "在线填报", "其他"}
UNITS = {"工作日", "自然日", "小时"}
MATTER_KEYS = {"id", "name", "aliases", "code", "kind", "department", "category", "audience", "summary",
               "basis", "conditions", "situations", "materials", "materials_note", "steps", "time_limit",
               "fees", "handling", "result", "contact", "green_channel", "faq", "effective", "expires",
               "review_by", "changelog"}
REQUIRED = {"id", "name", "kind", "department", "category", "steps", "time_limit", "fees", "handling",
            "effective"}
MAT_KEYS = {"name", "form", "originals", "copies", "necessity", "source", "issuer", "spec", "note",
            "blank_form", "sample"}
REF_KEYS = {"ref", "originals", "copies", "necessity", "note", "when"}
TODAY = dt.date.today()

problems = []


def bad(where, msg):
    problems.append(f"{where}: {msg}")


def is_str(v):
    return isinstance(v, str)


def check_strings(where, v, path=""):
    """Every leaf is a str, except known ints/bools/dates; no '<'."""
    if isinstance(v, dict):
        for k, x in v.items():
            check_strings(where, x, f"{path}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            check_strings(where, x, f"{path}[{i}]")
    elif isinstance(v, bool):
        if not path.endswith((".charged", ".express", ".large_print")):
            bad(where, f"{path} is a bool")
    elif isinstance(v, int):
        if not path.endswith((".value", ".visits", ".originals", ".copies", ".correction_days")):
            bad(where, f"{path} is an int")
    elif isinstance(v, dt.date):
        if not path.endswith((".effective", ".review_by", ".date")):
            bad(where, f"{path} is a date")
    elif isinstance(v, str):
        if "<" in v:
            bad(where, f"{path} contains '<'")
    else:
        bad(where, f"{path} has type {type(v).__name__}")


def counts(form, o, c, where):
    if form not in FORMS:
        bad(where, f"form {form!r}")
        return
    if o is None:
        o = FORMS[form][0]
    if c is None:
        c = FORMS[form][1]
    ok = {"原件": o >= 1 and c == 0, "复印件": o == 0 and c >= 1,
          "原件和复印件": o >= 1 and c >= 1, "电子": o == 0 and c == 0}[form]
    if not ok:
        bad(where, f"form {form} with originals={o} copies={c}")


def main(root):
    g = yaml.safe_load(open(os.path.join(root, "guide.yaml"), encoding="utf-8"))
    check_strings("guide.yaml", g)
    for k in ("title", "organization", "contact"):
        if k not in g:
            bad("guide.yaml", f"missing {k}")
    if g["contact"]["consult"] == g["contact"]["complaint"]:
        bad("guide.yaml", "consult == complaint")
    depts = {d["name"] for d in g.get("departments", [])}

    cat = yaml.safe_load(open(os.path.join(root, "materials.yaml"), encoding="utf-8"))
    check_strings("materials.yaml", cat)
    cat_by_id = {}
    for e in cat:
        w = f"materials.yaml:{e.get('id')}"
        if not ID_RE.match(e["id"]) or e["id"] in cat_by_id:
            bad(w, "bad or duplicate id")
        cat_by_id[e["id"]] = e
        if set(e) - MAT_KEYS - {"id"}:
            bad(w, f"unknown keys {set(e) - MAT_KEYS - {'id'}}")
        counts(e["form"], e.get("originals"), e.get("copies"), w)
        if e.get("necessity", "必要") not in NECESSITY or e.get("source", "其他") not in SOURCES:
            bad(w, "bad enum")
    cat_names = {e["name"] for e in cat}
    used_refs = set()
    inline_defs = {}
    ids = {}
    sizes = []
    chars = set()
    total = 0

    files = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "guides")):
        dirnames.sort()
        for fn in sorted(filenames):
            files.append(os.path.join(dirpath, fn))
    for top in ("guide.yaml", "materials.yaml"):
        raw = open(os.path.join(root, top), "rb").read()
        total += len(raw)
        chars.update(ch for ch in raw.decode() if "\u4e00" <= ch <= "\u9fff")

    for path in files:
        raw = open(path, "rb").read()
        sizes.append(len(raw))
        total += len(raw)
        text = raw.decode("utf-8")
        chars.update(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
        w = os.path.relpath(path, root)
        if "\t" in text or any(l != l.rstrip() for l in text.split("\n")) or not text.endswith("\n"):
            bad(w, "tabs / trailing blanks / no final newline")
        m = yaml.safe_load(text)
        check_strings(w, m)
        stem = os.path.splitext(os.path.basename(path))[0]
        if set(m) - MATTER_KEYS:
            bad(w, f"unknown keys {set(m) - MATTER_KEYS}")
        if REQUIRED - set(m):
            bad(w, f"missing {REQUIRED - set(m)}")
        if not ID_RE.match(m["id"]) or m["id"] != stem:
            bad(w, "id pattern / stem")
        if m["id"] in ids:
            bad(w, f"duplicate id (also {ids[m['id']]})")
        ids[m["id"]] = w
        if m["kind"] not in KINDS:
            bad(w, "kind")
        if m["department"] not in depts:
            bad(w, "department not in guide.yaml")
        if not set(m.get("audience", [])) <= AUD:
            bad(w, "audience")
        if "expires" in m:
            bad(w, "expires present")
        sit_ids = [s["id"] for s in m.get("situations", [])]
        if len(set(sit_ids)) != len(sit_ids) or not all(ID_RE.match(s) for s in sit_ids):
            bad(w, "situation ids")
        if not 1 <= len(sit_ids) <= 4:
            bad(w, "situation count")
        used_sits = set()
        mats = m.get("materials", [])
        if not mats and "materials_note" not in m:
            bad(w, "no materials")
        seen_refs, seen_names = set(), set()
        for i, mt in enumerate(mats):
            mw = f"{w}:materials[{i}]"
            for s in mt.get("when", []):
                if s not in sit_ids:
                    bad(mw, f"unknown situation {s}")
                used_sits.add(s)
            if "ref" in mt:
                if set(mt) - REF_KEYS:
                    bad(mw, f"unknown ref keys {set(mt) - REF_KEYS}")
                e = cat_by_id.get(mt["ref"])
                if e is None:
                    bad(mw, f"unknown ref {mt['ref']}")
                    continue
                if mt["ref"] in seen_refs:
                    bad(mw, "ref twice in matter")
                seen_refs.add(mt["ref"])
                used_refs.add(mt["ref"])
                o = mt.get("originals", e.get("originals", FORMS[e["form"]][0]))
                c = mt.get("copies", e.get("copies", FORMS[e["form"]][1]))
                counts(e["form"], o, c, mw)
                if mt.get("necessity", "必要") not in NECESSITY:
                    bad(mw, "necessity")
            else:
                if set(mt) - MAT_KEYS - {"when"}:
                    bad(mw, f"unknown keys {set(mt) - MAT_KEYS - {'when'}}")
                counts(mt["form"], mt.get("originals"), mt.get("copies"), mw)
                if mt.get("necessity", "必要") not in NECESSITY or mt.get("source", "其他") not in SOURCES:
                    bad(mw, "bad enum")
                key = (mt["form"], mt.get("originals", FORMS[mt["form"]][0]), mt.get("copies", FORMS[mt["form"]][1]))
                if mt["name"] in inline_defs and inline_defs[mt["name"]][0] != key:
                    bad(mw, f"inline {mt['name']} differs from {inline_defs[mt['name']][1]}")
                if mt["name"] in seen_names:
                    bad(mw, "inline name twice in matter")
                if mt["name"] in cat_names:
                    bad(mw, "inline name equals a catalogue name")
                seen_names.add(mt["name"])
                inline_defs.setdefault(mt["name"], (key, w))
        if set(sit_ids) - used_sits:
            bad(w, f"unused situations {set(sit_ids) - used_sits}")
        if not m["steps"]:
            bad(w, "no steps")
        tl = m["time_limit"]
        pr = tl["promised"]
        if tl["type"] == "即办件":
            if not (pr == "即办" or (isinstance(pr, dict) and pr["value"] == 0)):
                bad(w, "即办件 promised")
        elif tl["type"] == "承诺件":
            if not (isinstance(pr, dict) and pr["value"] > 0):
                bad(w, "承诺件 promised")
        else:
            bad(w, "time_limit.type")
        for k in ("legal", "promised"):
            if isinstance(tl.get(k), dict) and tl[k]["unit"] not in UNITS:
                bad(w, f"unit {k}")
        if isinstance(pr, dict) and "legal" in tl and tl["legal"]["unit"] == pr["unit"] and pr["value"] > tl["legal"]["value"]:
            bad(w, "promised > legal")
        f = m["fees"]
        if f["charged"]:
            if not f.get("items") or not all("basis" in i for i in f["items"]):
                bad(w, "charged fees without items/basis")
        elif f.get("items"):
            bad(w, "free with items")
        h = m["handling"]
        if h["visits"] > 0 and not (h.get("visit_reason") and h.get("locations")):
            bad(w, "visits without reason/locations")
        c = m.get("contact")
        if c and c["consult"] == c["complaint"]:
            bad(w, "consult == complaint")
        if not isinstance(m["effective"], dt.date) or m["effective"] > TODAY:
            bad(w, "effective")
        if "review_by" in m and (not isinstance(m["review_by"], dt.date) or m["review_by"] <= TODAY):
            bad(w, "review_by")
        dates = [x["date"] for x in m.get("changelog", [])]
        if dates != sorted(dates, reverse=True):
            bad(w, "changelog not newest first")

    unused = set(cat_by_id) - used_refs
    if unused:
        bad("materials.yaml", f"{len(unused)} unused catalogue entries: {sorted(unused)[:5]}")

    cats = {}
    for p in files:
        cats.setdefault(os.path.relpath(os.path.dirname(p), root), 0)
    print(f"corpus {root}: {len(files)} matters in {len(cats)} categories, catalogue {len(cat)} entries, "
          f"{total / 1e6:.2f} MB total")
    print(f"matter file bytes: min {min(sizes)}, median {int(statistics.median(sizes))}, max {max(sizes)}")
    print(f"distinct CJK characters: {len(chars)}")
    print(f"inline material names: {len(inline_defs)}")
    for p in problems[:40]:
        print("PROBLEM", p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
