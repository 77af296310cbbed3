// guide site: the search on the index page. The index (assets/search-index.js)
// loads after this script without blocking the page; what is typed before it
// arrives is answered as soon as it does. Every matter is scored, none
// filtered out: characters and character pairs of the query, weighted by the
// field they occur in (name > aliases > category > result > materials >
// conditions and summary) and by how rare they are (BM25's idf), plus the
// thesaurus of citizens' words and the project's synonyms, pinyin (full and
// initials) and homophones of a mistyped character.
(function () {
  "use strict";
  var q = document.getElementById("q");
  if (!q) { return; }
  var results = document.getElementById("results");
  var status = document.getElementById("search-status");
  var SHOW = 10;
  var W = [10, 7, 4, 3, 1.5, 1];   // name, alias, category, result, material, text
  var B = 0.25;                     // how much a long field dilutes a match
  var engine = null;
  var composing = false;
  var lastStatus = "";

  var say = function (text, html) {
    // The status is a live region: say each new state once.
    if (composing || text === lastStatus) { return; }
    lastStatus = text;
    if (html) { status.innerHTML = html; } else { status.textContent = text; }
  };

  var normalise = function (s) {
    return s.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .toLowerCase().replace(/[^0-9a-z\u3400-\u9fff\uf900-\ufaff]/g, "");
  };
  var isAscii = function (c) { return c < "\u0080"; };

  // ---- building the engine from the index, once ----
  var build = function (idx) {
    var docs = idx.docs, N = docs.length;
    var post = new Map();   // gram -> [doc, weight, doc, weight, ...], docs ascending
    var fields = [];        // per doc: [name, aliases[], category, result, materials[], text]
    var lens = [0, 0, 0, 0, 0, 0], counts = [0, 0, 0, 0, 0, 0];
    var cats = idx.cats.map(function (c) { return normalise(c[0]); });
    var mats = idx.mats.map(normalise);
    docs.forEach(function (d) {
      var f = [[normalise(d[1])], d[3] ? d[3].split("|").map(normalise) : [], [cats[d[2]]],
        d[4] ? [normalise(d[4])] : [], d[5].map(function (m) { return mats[m]; }), d[6] ? [normalise(d[6])] : []];
      for (var i = 0; i < 6; i++) {
        for (var j = 0; j < f[i].length; j++) { lens[i] += f[i][j].length; counts[i]++; }
      }
      fields.push(f);
    });
    var avg = lens.map(function (l, i) { return counts[i] ? l / counts[i] : 1; });
    // The grams of a text as small numbers (each character gets a number on
    // first sight; a pair is two numbers in one): no strings to make and
    // hash. Once per distinct text.
    var ids = new Int32Array(65536), next = 1;
    var gramCache = new Map();
    var gramsOf = function (t) {
      var out = gramCache.get(t);
      if (out) { return out; }
      out = [];
      var prev = 0;
      for (var k = 0; k < t.length; k++) {
        var c = t.charCodeAt(k), id = ids[c];
        if (!id && next < 16384) { id = ids[c] = next++; }
        if (id && c >= 128) { out.push(-id); }
        if (id && prev) { out.push(prev * 16384 + id); }
        prev = id;
      }
      if (t.length < 40) { gramCache.set(t, out); }
      return out;
    };
    for (var d = 0; d < N; d++) {
      var f = fields[d];
      for (var i = 0; i < 6; i++) {
        for (var j = 0; j < f[i].length; j++) {
          var t = f[i][j];
          var w = W[i] / (1 - B + B * t.length / avg[i]);
          var gs = gramsOf(t);
          for (var k = 0; k < gs.length; k++) {
            // One entry per matter: its best field.
            var p = post.get(gs[k]);
            if (p === undefined) { post.set(gs[k], [d, w]); continue; }
            var n = p.length;
            if (p[n - 2] === d) { if (p[n - 1] < w) { p[n - 1] = w; } } else { p.push(d, w); }
          }
        }
      }
    }
    // Words of the thesaurus and the project's synonyms -> their groups.
    var groups = [], dict = new Map();
    idx.syn.forEach(function (sides) {
      var words = [];
      sides.forEach(function (s) { s.split(" ").forEach(function (w) { if (w && words.indexOf(w) < 0) { words.push(w); } }); });
      var gi = groups.length;
      groups.push(words);
      words.forEach(function (w) { var l = dict.get(w); if (!l) { l = []; dict.set(w, l); } if (l.indexOf(gi) < 0) { l.push(gi); } });
    });
    var fillers = new Set(idx.fill.split(" "));
    var longest = 1;
    dict.forEach(function (_, w) { longest = Math.max(longest, w.length); });
    fillers.forEach(function (w) { longest = Math.max(longest, w.length); });
    // Pinyin: character -> syllable; syllable -> characters.
    var sound = new Map(), bySound = new Map();
    idx.py.split("|").forEach(function (part) {
      // ü is typed v (lv, nv).
      var i = part.indexOf(":"), s = part.slice(0, i).replace("ü", "v"), cs = part.slice(i + 1);
      bySound.set(s, cs);
      for (var k = 0; k < cs.length; k++) { if (!sound.has(cs[k])) { sound.set(cs[k], s); } }
    });
    var spell = function (t) {
      var full = "", ini = "", starts = [];
      for (var k = 0; k < t.length; k++) {
        var s = sound.get(t[k]) || (isAscii(t[k]) ? t[k] : "");
        if (!s) { continue; }
        starts.push(full.length);
        full += s;
        ini += s[0];
      }
      return { full: full, ini: ini, starts: starts };
    };
    var spelled = fields.map(function (f) {
      return [0, 1, 2].map(function (i) { return f[i].map(spell); });
    });
    return {
      idx: idx, N: N, post: post, fields: fields, ids: ids, idf: new Map(), present: new Map(), groups: groups, dict: dict, fillers: fillers,
      longest: longest, sound: sound, bySound: bySound, spelled: spelled,
      // Work space kept between keystrokes (cleared by stamps or fill): no garbage.
      stamp: 0, seenA: new Int32Array(N), seenB: new Int32Array(N), tmp: new Float64Array(N),
      hits: new Int32Array(N), best: new Float64Array(N), strong: new Uint8Array(N), score: new Float64Array(N), cover: new Int32Array(N)
    };
  };

  // A gram's number (as in build), or 0 when some character is in no matter.
  var keyOf = function (e, g) {
    var a = e.ids[g.charCodeAt(0)];
    if (g.length === 1) { return -a; }
    var b = e.ids[g.charCodeAt(1)];
    return a && b ? a * 16384 + b : 0;
  };

  // BM25's idf, counting a matter that has the gram only in a light field
  // as part of a matter: a word in every matter's materials (居民身份证) still
  // tells the one matter that has it in its name.
  var idf = function (e, g) { return idfKey(e, keyOf(e, g)); };
  var idfKey = function (e, g) {
    var v = e.idf.get(g);
    if (v !== undefined) { return v; }
    var p = e.post.get(g);
    if (!p) { return 0; }
    var df = 0;
    for (var i = 1; i < p.length; i += 2) { df += Math.min(1, p[i] / W[0]); }
    v = Math.log(1 + (e.N - df + 0.5) / (df + 0.5));
    e.idf.set(g, v);
    return v;
  };

  // Adds weight * idf * field weight of gram g to every doc that has it;
  // marks the query characters `mask` as covered in those docs.
  var addGram = function (e, g, weight, mask, score, cover) {
    return addKey(e, keyOf(e, g), weight, mask, score, cover);
  };
  var addKey = function (e, k, weight, mask, score, cover) {
    var p = e.post.get(k);
    if (!p) { return false; }
    var w = weight * idfKey(e, k), pair = k > 0;
    for (var i = 0; i < p.length; i += 2) {
      score[p[i]] += w * p[i + 1];
      cover[p[i]] |= mask;
      if (pair) { e.strong[p[i]] = 1; }
    }
    return true;
  };

  // A gram that no matter has, with one character swapped for one that
  // sounds the same (护找 -> 护照), or else both (駕駛 -> 驾驶): the variants
  // that some matter has, and how much they count.
  var homophones = function (e, g) {
    var like = function (c) { var s = e.sound.get(c); return s ? e.bySound.get(s) : ""; };
    var a = like(g[0]), b = like(g[1]), out = [];
    for (var j = 0; j < b.length; j++) { if (b[j] !== g[1] && e.post.has(keyOf(e, g[0] + b[j]))) { out.push(g[0] + b[j]); } }
    for (var i = 0; i < a.length; i++) { if (a[i] !== g[0] && e.post.has(keyOf(e, a[i] + g[1]))) { out.push(a[i] + g[1]); } }
    if (out.length) { return [out, 0.8]; }
    for (i = 0; i < a.length; i++) {
      for (j = 0; j < b.length; j++) {
        var v = a[i] + b[j];
        if (e.post.has(keyOf(e, v))) { out.push(v); }
      }
    }
    return [out, 0.5];
  };

  // Letters read as whole syllables (shenfenzheng -> shen fen zheng), the
  // fewest that cover them; an unfinished last syllable is left out.
  var syllables = function (e, t) {
    var n = t.length, best = [0], from = [0];
    for (var i = 1; i <= n; i++) {
      best[i] = Infinity;
      for (var l = 1; l <= 6 && l <= i; l++) {
        if (best[i - l] + 1 < best[i] && e.bySound.has(t.slice(i - l, i))) { best[i] = best[i - l] + 1; from[i] = i - l; }
      }
    }
    var end = n;
    while (end > 0 && best[end] === Infinity) { end--; }
    var out = [];
    for (var j = end; j > 0; j = from[j]) { out.unshift(t.slice(from[j], j)); }
    return out;
  };
  // The characters of a sound that some matter has, as their numbers.
  var present = function (e, s) {
    var got = e.present.get(s);
    if (got) { return got; }
    got = [];
    var cs = e.bySound.get(s) || "";
    for (var i = 0; i < cs.length; i++) { var id = e.ids[cs.charCodeAt(i)]; if (id) { got.push(id); } }
    e.present.set(s, got);
    return got;
  };

  // Splits the Chinese part of a query into thesaurus words, question words
  // (dropped) and the rest, longest word first.
  var segment = function (e, t) {
    var parts = [], free = "", start = 0;
    for (var i = 0; i < t.length;) {
      var hit = 0, kind = "";
      for (var l = Math.min(e.longest, t.length - i); l >= 1 && !hit; l--) {
        var w = t.substr(i, l);
        if (e.dict.has(w)) { hit = l; kind = "syn"; } else if (e.fillers.has(w)) { hit = l; kind = "fill"; }
      }
      if (hit) {
        if (free) { parts.push({ kind: "free", text: free, at: start }); free = ""; }
        parts.push({ kind: kind, text: t.substr(i, hit), at: i });
        i += hit;
      } else {
        if (!free) { start = i; }
        free += t[i];
        i++;
      }
    }
    if (free) { parts.push({ kind: "free", text: free, at: start }); }
    return parts;
  };

  // Whether most characters of the query occur in order in the matter's
  // name, an alias or its category.
  var shortForm = function (e, d, core) {
    var need = Math.max(2, Math.ceil(core.length * 0.75));
    for (var i = 0; i < 3; i++) {
      var list = e.fields[d][i];
      for (var j = 0; j < list.length; j++) {
        var t = list[j], at = 0, got = 0;
        for (var k = 0; k < core.length && at < t.length; k++) {
          var f = t.indexOf(core[k], at);
          if (f >= 0) { got++; at = f + 1; }
        }
        if (got >= need) { return true; }
      }
    }
    return false;
  };

  var rank = function (e, raw) {
    // A pasted paragraph is not a query: its start is enough.
    var t = normalise(raw).slice(0, 64);
    var N = e.N;
    var score = e.score, cover = e.cover;
    score.fill(0);
    cover.fill(0);
    // Which matters share more than single characters with the query.
    e.strong.fill(0);
    if (!t) { return []; }
    var letters = (t.match(/[a-z]+/g) || []).join("");
    var han = t.replace(/[0-9a-z]+/g, "");
    var parts = segment(e, han);
    var kept = parts.filter(function (p) { return p.kind !== "fill"; });
    // A query of question words only is taken as it is.
    if (!kept.length && han) { kept = [{ kind: "free", text: han, at: 0 }]; }
    // The literal query without question words, and what its characters are.
    var core = kept.map(function (p) { return p.text; }).join("");
    // Pinyin typed as a sentence is read like characters (below).
    var syl = !core && letters ? syllables(e, letters) : [];
    var units = core ? core.length : (syl.length >= 2 ? syl.length : 0);
    var all = units > 30 ? (1 << 30) - 1 : (1 << units) - 1;
    var bit = function (from, n) { var m = 0; for (var k = from; k < from + n && k < 30; k++) { m |= 1 << k; } return m; };
    // 1. Characters and pairs of the literal query.
    for (var k = 0; k < core.length; k++) {
      addGram(e, core[k], 0.3, bit(k, 1), score, cover);
      if (k + 1 < core.length) {
        var g = core.substr(k, 2);
        if (!addGram(e, g, 1, bit(k, 2), score, cover)) {
          var like = homophones(e, g);
          like[0].forEach(function (v) { addGram(e, v, like[1], bit(k, 2), score, cover); });
        }
      }
    }
    // 2. Each thesaurus word: the best of its other words, per matter.
    var pos = 0;
    kept.forEach(function (p) {
      var from = pos;
      pos += p.text.length;
      if (p.kind !== "syn") { return; }
      var alts = [];
      e.dict.get(p.text).forEach(function (gi) {
        e.groups[gi].forEach(function (w) { if (w !== p.text && alts.indexOf(w) < 0) { alts.push(w); } });
      });
      var mask = bit(from, p.text.length);
      var pairs = Math.max(1, p.text.length - 1);
      // Typed arrays kept between keystrokes, cleared by stamps: no garbage.
      var stampB = ++e.stamp, touchedB = [];
      alts.forEach(function (w) {
        var stampA = ++e.stamp, touched = [], n = 0;
        var grams = w.length === 1 ? [w] : [];
        for (var k = 0; k + 1 < w.length; k++) { grams.push(w.substr(k, 2)); }
        grams.forEach(function (g) {
          n++;
          var post = e.post.get(keyOf(e, g));
          if (!post) { return; }
          var v = (w.length === 1 ? 0.3 : 1) * idf(e, g);
          for (var i = 0; i < post.length; i += 2) {
            var d = post[i];
            if (e.seenA[d] !== stampA) { e.seenA[d] = stampA; e.tmp[d] = 0; e.hits[d] = 0; touched.push(d); }
            e.tmp[d] += v * post[i + 1];
            e.hits[d]++;
          }
        });
        for (var i = 0; i < touched.length; i++) {
          // A word matched in part counts for little: 驾驶 is not 驾驶证.
          var d = touched[i], s = e.tmp[d] / n * (e.hits[d] / n) * pairs * 0.9;
          if (e.seenB[d] !== stampB) { e.seenB[d] = stampB; e.best[d] = 0; touchedB.push(d); }
          if (s > e.best[d]) { e.best[d] = s; }
        }
      });
      for (var i = 0; i < touchedB.length; i++) {
        var d = touchedB[i];
        score[d] += e.best[d];
        cover[d] |= mask;
        e.strong[d] = 1;
      }
    });
    // 3. Pinyin: full pinyin from a syllable's start, or initials.
    if (letters) {
      // Typing on: only the matters that matched the shorter letters can match.
      var pool = e.lastLetters && letters.indexOf(e.lastLetters) === 0 ? e.lastPool : null;
      var hits = [];
      var n = pool ? pool.length : N;
      for (var x = 0; x < n; x++) {
        var d = pool ? pool[x] : x;
        var top = 0, lists = e.spelled[d];
        for (var i = 0; i < 3; i++) {
          for (var j = 0; j < lists[i].length; j++) {
            var s = lists[i][j], v = 0, at = s.full.indexOf(letters);
            while (at >= 0 && s.starts.indexOf(at) < 0) { at = s.full.indexOf(letters, at + 1); }
            if (at >= 0) { v = 0.6 + 0.4 * letters.length / s.full.length; }
            if (letters.length >= 2 && s.ini.indexOf(letters) >= 0) {
              v = Math.max(v, 0.5 + 0.4 * letters.length / s.ini.length);
            }
            if (v * W[i] > top) { top = v * W[i]; }
          }
        }
        if (top > 0) {
          hits.push(d);
          e.strong[d] = 1;
          score[d] += top * 2;
          if (!core) { cover[d] = all; }
        }
      }
      e.lastLetters = letters;
      e.lastPool = hits;
    }
    // 4. Pinyin as a sentence (shenfenzheng buban): each two syllables as
    // the pairs of characters with those sounds that some matter has.
    for (var k = 0; k + 1 < syl.length; k++) {
      var A = present(e, syl[k]), Bs = present(e, syl[k + 1]);
      for (var a = 0; a < A.length; a++) {
        for (var b = 0; b < Bs.length; b++) { addKey(e, A[a] * 16384 + Bs[b], 0.8, bit(k, 2), score, cover); }
      }
    }
    // How much of the query a matter answers weighs as much as how well.
    var out = [];
    var ones = function (m) { var c = 0; while (m) { c += m & 1; m >>>= 1; } return c; };
    var size = Math.max(1, ones(all));
    for (var d = 0; d < N; d++) {
      if (score[d] <= 0) { continue; }
      var c = units ? ones(cover[d] & all) / size : 1;
      // Characters in common but no word (量子力学 and 学历) is not an
      // answer, unless they spell a short form of the name (计生特扶 for
      // 计划生育家庭特别扶助).
      if (units >= 2 && !e.strong[d] && !(core && c >= 0.6 && shortForm(e, d, core))) { continue; }
      out.push([d, score[d] * (0.2 + 0.8 * c * c)]);
    }
    out.sort(function (a, b) { return (b[1] - a[1]) || (a[0] - b[0]); });
    // Weak echoes of a strong answer are not answers.
    var floor = out.length ? out[0][1] * 0.12 : 0;
    return out.filter(function (r) { return r[1] >= floor; });
  };

  var noResult = function (e) {
    var idx = e.idx;
    var links = idx.cats.map(function (c) { return '<a href="' + c[1] + '">' + escape(c[0]) + "</a>"; }).join("、");
    var phone = idx.phone ? "，或拨打咨询电话 <a href=\"tel:" + escape(idx.phone) + "\">" + escape(idx.phone) + "</a>" : "";
    // The same words for every query that finds nothing, so typing on is
    // not announced again and again.
    var plain = "没有找到相关的事项。";
    return [plain, escape(plain) + "可以换个说法，按分类查找：" + links + phone + "。"];
  };
  var escape = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  };

  // The list, redrawn only when it changes (typing on often keeps it).
  var shown = "";
  var show = function (list) {
    var id = list.join(" ");
    if (id === shown) { return; }
    shown = id;
    var docs = engine.idx.docs, frag = document.createDocumentFragment();
    list.forEach(function (d) {
      var doc = docs[d];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "matters/" + doc[0] + ".html";
      a.textContent = doc[1];
      var why = document.createElement("span");
      why.className = "why";
      why.textContent = engine.idx.cats[doc[2]][0];
      li.appendChild(a);
      li.appendChild(why);
      frag.appendChild(li);
    });
    results.textContent = "";
    results.appendChild(frag);
  };

  var search = function () {
    var text = q.value.trim();
    if (!engine) {
      if (text) { say("正在载入搜索，请稍候……"); }
      return;
    }
    if (!normalise(text)) { show([]); say(""); return; }
    var found = rank(engine, text);
    show(found.slice(0, SHOW).map(function (r) { return r[0]; }));
    if (!found.length) {
      var m = noResult(engine);
      say(m[0], m[1]);
    } else if (found.length > SHOW) {
      say("找到 " + found.length + " 个事项，显示最相关的 " + SHOW + " 个");
    } else {
      say("找到 " + found.length + " 个事项，全部显示");
    }
  };

  var ready = function () {
    if (engine || !window.GUIDE_INDEX) { return; }
    engine = build(window.GUIDE_INDEX);
    lastStatus = null;
    search();
  };
  window.guideSearchReady = ready;
  // For the browser test and the benchmark: the ranking without the page.
  window.guideSearch = function (text) {
    return engine ? rank(engine, text).map(function (r) { return engine.idx.docs[r[0]][0]; }) : null;
  };

  q.addEventListener("compositionstart", function () { composing = true; });
  q.addEventListener("compositionend", function () { composing = false; search(); });
  q.addEventListener("input", search);
  q.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || ev.isComposing || composing) { return; }
    var first = results.querySelector("a");
    ev.preventDefault();
    if (first) { window.location.href = first.href; }
  });
  var param = new URLSearchParams(window.location.search).get("q");
  if (param) { q.value = param; }
  ready();
  if (!engine && param) { search(); }
})();
