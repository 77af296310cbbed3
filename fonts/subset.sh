#!/usr/bin/env bash
# Reproduce fonts/NotoSansSC-{Regular,Bold}.subset.otf from Debian's fonts-noto-cjk.
#
# Requirements (Debian bookworm):
#   apt-get install -y fonts-noto-cjk unicode-data     # 1:20220127+repack1-1, 15.0.0-1
#   pip install 'fonttools==4.68.0'
# Usage:
#   bash fonts/subset.sh [OUTDIR]        # default OUTDIR: the directory of this script
#
# The character list is derived from data files shipped by the Debian packages above
# (no downloads):
#   * 通用规范汉字表 (Table of General Standard Chinese Characters, 2013): every code point
#     with a kTGH field in Unihan (unicode-data: /usr/share/unicode/Unihan_*.txt.bz2) — 8,105.
#   * GB 2312-80: every character the Python 'gb2312' codec decodes (6,763 hanzi + 682
#     symbols), cross-checked against Unihan kGB0 (6,763).
#   * extra blocks listed in the Python below (ASCII, Latin-1, pinyin letters, punctuation,
#     CJK symbols, full-width forms, ①–⑳, ㎡, …) — only what the font actually has.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE}"
SRC_DIR=/usr/share/fonts/opentype/noto
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import bz2, glob, sys
from fontTools.ttLib import TTCollection

work = sys.argv[1]

def unihan_field(field):
    out = set()
    for f in sorted(glob.glob('/usr/share/unicode/Unihan_*.txt.bz2')):
        with bz2.open(f, 'rt', encoding='utf-8') as fh:
            for line in fh:
                p = line.rstrip('\n').split('\t')
                if len(p) >= 3 and p[1] == field:
                    out.add(int(p[0][2:], 16))
    return out

def gb2312_all():
    s = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                s.add(ord(bytes([hi, lo]).decode('gb2312')))
            except UnicodeDecodeError:
                pass
    return s

tgh = unihan_field('kTGH')   # 通用规范汉字表
gb0 = unihan_field('kGB0')   # GB 2312 hanzi
gb = gb2312_all()
assert len(tgh) == 8105, len(tgh)
assert len(gb0) == 6763 and gb0 <= gb, len(gb0)

R = lambda a, b: set(range(a, b + 1))
extra = (
    R(0x20, 0x7E)                      # ASCII
    | R(0xA0, 0xFF)                    # Latin-1 Supplement (× ÷ ± ° ¥ …)
    | R(0x100, 0x17F)                  # Latin Extended-A (pinyin ā ē ī ō ū …)
    | R(0x1CD, 0x1DC) | {0x1F8, 0x1F9, 0x1E3F, 0x251, 0x261}  # ǎ ǐ ǒ ǔ ǖ–ǜ ǹ ḿ ɑ ɡ
    | R(0x2C6, 0x2DD)                  # spacing modifiers ˆ ˇ ˉ ˊ ˋ ˙
    | R(0x391, 0x3C9)                  # basic Greek
    | R(0x2000, 0x206F)                # General Punctuation “ ” ‘ ’ — … · ‰ ※
    | R(0x20A0, 0x20CF)                # currency (€ …)
    | R(0x2100, 0x214F)                # letterlike (℃ № ™ …)
    | R(0x2150, 0x218F)                # number forms (Ⅰ–Ⅻ ⅰ–ⅹ)
    | R(0x2190, 0x21FF)                # arrows
    | R(0x2200, 0x22FF)                # math operators (√ ∞ ≤ ≥ ≠ …)
    | R(0x2460, 0x24FF)                # enclosed alphanumerics ①–⑳ ⑴ ⒈ ⓐ
    | R(0x2500, 0x259F)                # box drawing, block elements
    | R(0x25A0, 0x25FF)                # geometric shapes □ ■ ○ ● △ ◆
    | R(0x2600, 0x27BF)                # misc symbols, dingbats (★ ☆ ✓ ❶ … as far as present)
    | R(0x3000, 0x303F)                # CJK Symbols and Punctuation
    | (R(0x3040, 0x30FF) & gb)         # kana (the GB 2312 ones)
    | R(0x3200, 0x33FF)                # enclosed CJK (㈠ ㊀ ㉑–㊿), CJK compatibility (㎡ ㎏ ㎞)
    | R(0xFE10, 0xFE1F) | R(0xFE30, 0xFE4F)  # vertical / compatibility forms
    | R(0xFF00, 0xFFEF)                # Halfwidth and Fullwidth Forms
    | {0xFFFD}
)
wanted = tgh | gb | extra
with open(f'{work}/unicodes.txt', 'w') as fh:
    fh.writelines('U+%04X\n' % cp for cp in sorted(wanted))

# Pick the "Noto Sans CJK SC" face (not JP/KR/TC/HK, not Mono) out of each collection.
for weight in ('Regular', 'Bold'):
    coll = TTCollection(f'/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc')
    faces = [f for f in coll.fonts if f['name'].getDebugName(1) == 'Noto Sans CJK SC']
    assert len(faces) == 1, weight
    faces[0].recalcTimestamp = False   # keep head.modified of the original (reproducibility)
    faces[0].save(f'{work}/NotoSansCJKsc-{weight}.otf')
    cmap = faces[0].getBestCmap()
    print(f'{weight}: hanzi 8105 TGH missing from font:',
          sum(1 for c in tgh if c not in cmap), '; requested', len(wanted),
          'present', sum(1 for c in wanted if c in cmap))
PY

for W in Regular Bold; do
  # 'locl' is dropped: in the SC face it only maps to JP/KR/TC/HK glyph variants, which
  # would pull ~7,000 extra glyphs into the subset. halt/palt/vhal/vpal (CJK punctuation
  # half-width / proportional), vert/vrt2 (vertical forms) and fwid/hwid/pwid are kept.
  pyftsubset "$WORK/NotoSansCJKsc-$W.otf" \
    --unicodes-file="$WORK/unicodes.txt" \
    --layout-features+=halt,palt,vhal,vpal,vert,vrt2,fwid,hwid,pwid \
    --layout-features-=locl \
    --no-hinting --desubroutinize \
    --notdef-outline --recommended-glyphs \
    --name-IDs='*' --name-legacy --name-languages='*' --glyph-names \
    --output-file="$WORK/sub-$W.otf"

  python3 - "$WORK/NotoSansCJKsc-$W.otf" "$WORK/sub-$W.otf" "$OUT/NotoSansSC-$W.subset.otf" <<'PY'
import sys
from fontTools.ttLib import TTFont
src, sub, out = sys.argv[1:]
orig = TTFont(src, lazy=True)
f = TTFont(sub, recalcTimestamp=False)
# Aliases for symbols the font lacks (a cmap entry pointing at an existing glyph):
#   U+2610 BALLOT BOX -> glyph of U+25A1 WHITE SQUARE
#   U+2714 HEAVY CHECK MARK -> glyph of U+2713 CHECK MARK
for t in f['cmap'].tables:
    if t.isUnicode():
        for alias, target in ((0x2610, 0x25A1), (0x2714, 0x2713)):
            if alias not in t.cmap and target in t.cmap:
                t.cmap[alias] = t.cmap[target]
# Mark the Modified Version in the version string; keep timestamps of the original
# so the output is byte-reproducible.
for rec in f['name'].names:
    if rec.nameID == 5:
        rec.string = rec.toUnicode() + '; subset for guide'
f['head'].created = orig['head'].created
f['head'].modified = orig['head'].modified
f.save(out)
print(out, f['maxp'].numGlyphs, 'glyphs,', len(f.getBestCmap()), 'code points')
PY
done
ls -l "$OUT"/NotoSansSC-*.subset.otf

# ---------------------------------------------------------------------------
# Script fonts for names and text in Uyghur and Kazakh (Arabic script),
# Mongolian and Tibetan, from Debian's fonts-noto-core 20201225-1 (Arabic)
# and fonts-noto-extra 20201225-1 (Mongolian, Tibetan):
#   apt-get install -y fonts-noto-core fonts-noto-extra
# Whole script blocks are kept, with every layout feature (GSUB/GPOS: joining
# forms, ligatures, mark positioning, Tibetan stacks), so the shaper gets what
# the full font would give it. Noto Sans Arabic (not Naskh): its sans design
# sits with Noto Sans CJK, and it has every Uyghur and Kazakh letter
# (ې ۆ ۈ ۇ ڭ ھ ۋ ٴ). Tibetan: Noto Serif Tibetan (Noto has no Sans Tibetan).
NOTO=/usr/share/fonts/truetype/noto
script_subset() { # SOURCE OUTPUT UNICODES
  pyftsubset "$NOTO/$1" --unicodes="$3" --layout-features='*' \
    --no-hinting --notdef-outline --name-IDs='*' --name-legacy --glyph-names \
    --output-file="$OUT/$2"
}
script_subset NotoSansArabic-Regular.ttf NotoSansArabic-Regular.subset.ttf \
  'U+0020,U+00A0,U+0600-06FF,U+200C-200F,U+25CC'
script_subset NotoSansArabic-Bold.ttf NotoSansArabic-Bold.subset.ttf \
  'U+0020,U+00A0,U+0600-06FF,U+200C-200F,U+25CC'
script_subset NotoSansMongolian-Regular.ttf NotoSansMongolian-Regular.subset.ttf \
  'U+0020,U+00A0,U+1800-18AF,U+200C-200D,U+202F,U+25CC'
script_subset NotoSerifTibetan-Regular.ttf NotoSerifTibetan-Regular.subset.ttf \
  'U+0020,U+00A0,U+0F00-0FFF,U+200C-200D,U+25CC'
ls -l "$OUT"/Noto*Arabic*.subset.ttf "$OUT"/NotoSansMongolian*.subset.ttf "$OUT"/NotoSerifTibetan*.subset.ttf
