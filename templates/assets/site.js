// guide site: search, situation picker, clerk's notice page. No network:
// the search index is a script beside this one, so file:// works too.
(function () {
  "use strict";

  // ---- search (index page) ----
  var q = document.getElementById("q");
  if (q && window.GUIDE_INDEX) {
    var idx = window.GUIDE_INDEX;
    var results = document.getElementById("results");
    var status = document.getElementById("search-status");
    var FIELD = ["名称", "别名", "材料", "简介"];
    var WEIGHT = [100, 60, 20, 5];
    var clean = function (s) { return s.replace(/[\s，。、；：？！“”‘’（）《》·,.;:?!()\-]/g, "").toLowerCase(); };
    var grams = function (s) {
      var out = [];
      var chars = Array.from(s);
      if (chars.length === 1) { return chars; }
      for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
      return out;
    };
    var search = function () {
      var text = clean(q.value);
      results.textContent = "";
      if (!text) { status.textContent = ""; return; }
      var gs = grams(text);
      var scores = null;
      gs.forEach(function (g) {
        var post = idx.grams[g] || [];
        var here = {};
        for (var i = 0; i < post.length; i += 2) {
          var d = post[i], fields = post[i + 1], best = 0;
          for (var f = 0; f < 4; f++) { if (fields & (1 << f)) { best = Math.max(best, WEIGHT[f]); } }
          here[d] = Math.max(here[d] || 0, best);
        }
        if (scores === null) { scores = here; return; }
        var next = {};
        Object.keys(scores).forEach(function (d) { if (here[d]) { next[d] = scores[d] + here[d]; } });
        scores = next;
      });
      var found = Object.keys(scores || {}).map(Number);
      found.sort(function (a, b) { return (scores[b] - scores[a]) || (a - b); });
      found.slice(0, 50).forEach(function (d) {
        var doc = idx.docs[d];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = doc.url;
        a.textContent = doc.name;
        var why = document.createElement("span");
        why.className = "why";
        why.textContent = doc.category;
        li.appendChild(a);
        li.appendChild(why);
        results.appendChild(li);
      });
      status.textContent = found.length ? "找到 " + found.length + " 个事项" : "没有找到，换个说法试试，或拨打咨询电话";
    };
    q.addEventListener("input", search);
    var param = new URLSearchParams(window.location.search).get("q");
    if (param) { q.value = param; search(); }
  }

  // ---- situation picker (matter page; a 一件事 adds its optional members) ----
  var boxes = document.querySelectorAll('input[name="situation"]');
  var mboxes = document.querySelectorAll('input[name="member"]');
  if (boxes.length || mboxes.length) {
    var list = document.getElementById("materials");
    var items = list ? list.querySelectorAll(":scope > li") : [];
    // Which materials each set of situations needs comes from the build's
    // resolver (the same as the booklet's and the notice's), not from here.
    var lists = list ? JSON.parse(list.getAttribute("data-lists") || "{}") : {};
    var pstatus = document.getElementById("picker-status");
    var checked = function (bs) { return Array.prototype.filter.call(bs, function (b) { return b.checked; }).map(function (b) { return b.value; }); };
    var needed = function (chosen, suffix) {
      var key = chosen.slice().sort().join(" ") + suffix;
      if (lists[key]) { return lists[key]; }
      var union = [];
      chosen.forEach(function (c) { (lists[c + suffix] || []).forEach(function (i) { if (union.indexOf(i) < 0) { union.push(i); } }); });
      return union;
    };
    var apply = function () {
      var chosen = checked(boxes);
      var members = checked(mboxes);
      var allMembers = members.length === mboxes.length;
      var suffix = mboxes.length ? "|" + members.sort().join(" ") : "";
      var need = chosen.length || !allMembers ? needed(chosen, suffix) : null;
      var shown = 0;
      Array.prototype.forEach.call(items, function (li, i) {
        var show = need === null || need.indexOf(i) >= 0;
        li.hidden = !show;
        if (show) { shown++; }
      });
      pstatus.textContent = need !== null ? "您需要 " + shown + " 项材料" : "显示全部 " + items.length + " 项材料";
    };
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    mboxes.forEach(function (b) { b.addEventListener("change", apply); });
    // Back/Forward: the browser restores the ticks after this script ran
    // (form state) or keeps the whole page (bfcache); either way the list
    // follows the boxes as they are.
    apply();
    window.addEventListener("pageshow", apply);
    document.addEventListener("DOMContentLoaded", apply);
  }

  // ---- print: a link whose text is its address is not printed twice ----
  document.querySelectorAll('main a[href^="http"]').forEach(function (a) {
    if (a.textContent.trim() === a.getAttribute("href")) { a.classList.add("url"); }
  });

  // ---- clerk's notice page ----
  var print = document.getElementById("print");
  if (print) {
    var today = new Date();
    var date = today.getFullYear() + "年" + (today.getMonth() + 1) + "月" + today.getDate() + "日";
    var fill = function () {
      document.querySelectorAll("[data-fill]").forEach(function (el) {
        el.textContent = document.getElementById(el.getAttribute("data-fill")).value;
      });
      document.querySelectorAll("[data-date]").forEach(function (el) { el.textContent = date; });
      var ticked = [];
      document.querySelectorAll(".notice-materials > li").forEach(function (li) {
        var box = li.querySelector("input.missing");
        li.classList.toggle("unticked", !box.checked);
        if (box.checked) { ticked.push(ticked.length + 1); }
      });
      document.querySelectorAll("[data-count]").forEach(function (el) {
        el.textContent = ticked.length ? ticked.length + "项（第" + ticked.join("、") + "项）" : "";
      });
      return ticked.length;
    };
    document.querySelectorAll(".form-grid input, input.missing").forEach(function (el) { el.addEventListener("input", fill); el.addEventListener("change", fill); });
    window.addEventListener("pageshow", fill);
    document.addEventListener("DOMContentLoaded", fill);
    print.addEventListener("click", function () {
      var n = fill();
      var pst = document.getElementById("print-status");
      if (!n) { pst.textContent = "请先勾选缺少的材料"; return; }
      if (!document.getElementById("f-applicant").value.trim()) { pst.textContent = "请填写申请人姓名"; return; }
      pst.textContent = "";
      window.print();
    });
    fill();
  }
})();
