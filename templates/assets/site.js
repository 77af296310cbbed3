// guide site: situation picker, clerk's notice page (the search is in
// search.js). No network, so file:// works too.
(function () {
  "use strict";

  // An index page from an older template override loads only the search
  // index: bring in the search beside this script.
  if (document.getElementById("q") && !window.guideSearchReady && document.currentScript) {
    var more = document.createElement("script");
    more.src = document.currentScript.src.replace(/site\.js([?#].*)?$/, "search.js");
    document.body.appendChild(more);
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
