// quotes: the article page's behaviour. Data comes from #quote-data; nothing is fetched.
"use strict";
(function () {
  const quotes = JSON.parse(document.getElementById("quote-data").textContent);
  const article = document.getElementById("article");
  const segments = Array.from(article.querySelectorAll("span[data-q], span[data-s], span[data-c]"));
  const nums = (el, role) => (el.dataset[role] || "").split(" ").filter(Boolean).map(Number);
  const shown = quotes.map(() => true);
  let current = null;

  // A quote's group: the quotes it continues and that continue it.
  function group(n) {
    let root = n;
    while (quotes[root].continues !== null && quotes[root].continues !== undefined) root = quotes[root].continues;
    const members = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      quotes.forEach((q, i) => {
        if (!members.has(i) && members.has(q.continues)) { members.add(i); grew = true; }
      });
    }
    return members;
  }

  function row(term, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "";
    const dt = document.createElement("dt"); dt.textContent = term;
    const dd = document.createElement("dd"); dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    return [dt, dd];
  }

  function details(n) {
    const q = quotes[n];
    const box = document.getElementById("details");
    const dl = document.createElement("dl");
    const rows = [
      row("quote", "#" + (n + 1) + " (" + q.kind + ")"), row("speaker", q.speaker),
      row("mention", q.mention), row("expert id", q.expert), row("description", q.description),
      row("confidence", q.confidence.toFixed(2)), row("cue", q.cue), row("rule", q.rule),
      row("flags", q.flags), row("continues", q.continues === null ? null : "#" + (q.continues + 1)),
      row("inside", q.nested_in === null ? null : "#" + (q.nested_in + 1)),
      row("outlet", q.outlet), row("date", q.date),
    ];
    rows.forEach((r) => { if (r) dl.append(...r); });
    box.replaceChildren(box.querySelector("h2"), dl);
  }

  function select(n, scroll) {
    current = n;
    const members = group(n);
    segments.forEach((el) => {
      el.classList.toggle("active", nums(el, "q").some((i) => members.has(i)));
      el.classList.toggle("active-s", nums(el, "s").some((i) => members.has(i)));
      el.classList.toggle("active-c", nums(el, "c").some((i) => members.has(i)));
    });
    document.querySelectorAll("#quotes li").forEach((li) => li.classList.toggle("current", Number(li.dataset.n) === n));
    details(n);
    const start = document.getElementById("q" + n);
    if (scroll && start) start.scrollIntoView({ block: "center" });
  }

  // The innermost shown quote of a segment.
  function pick(el) {
    const own = nums(el, "q").filter((i) => shown[i]);
    const candidates = own.length ? own : nums(el, "s").concat(nums(el, "c")).filter((i) => shown[i]);
    if (!candidates.length) return null;
    return candidates.reduce((a, b) => (quotes[b].len < quotes[a].len ? b : a));
  }
  segments.forEach((el) => {
    el.addEventListener("mouseenter", () => { const n = pick(el); if (n !== null) { details(n); } });
    el.addEventListener("mouseleave", () => { if (current !== null) details(current); });
    el.addEventListener("click", () => { const n = pick(el); if (n !== null) select(n, false); });
    el.addEventListener("focus", () => { const n = pick(el); if (n !== null) select(n, false); });
  });
  quotes.forEach((q, i) => {
    const parts = segments.filter((el) => nums(el, "q").includes(i));
    q.len = parts.reduce((sum, el) => sum + el.textContent.length, 0);
  });

  document.querySelectorAll("#quotes li a").forEach((a) => {
    a.addEventListener("click", (event) => {
      event.preventDefault();
      const n = Number(a.parentElement.dataset.n);
      history.replaceState(null, "", "#q" + n);
      select(n, true);
    });
  });

  function applyFilters() {
    const kinds = new Set(Array.from(document.querySelectorAll("#filters input[name=kind]:checked"), (i) => i.value));
    const who = document.getElementById("speaker-filter").value;
    const threshold = Number(document.getElementById("confidence-filter").value);
    document.getElementById("confidence-value").textContent = threshold.toFixed(2);
    quotes.forEach((q, i) => {
      shown[i] = kinds.has(q.kind) && (!who || q.key === who) && q.confidence >= threshold;
      const li = document.getElementById("item" + i);
      if (li) li.classList.toggle("hidden", !shown[i]);
    });
    segments.forEach((el) => {
      const visible = nums(el, "q").filter((i) => shown[i]);
      el.classList.toggle("off", nums(el, "q").length > 0 && !visible.length);
      if (visible.length) el.dataset.k = quotes[visible.reduce((a, b) => (quotes[b].len < quotes[a].len ? b : a))].kind;
      el.classList.toggle("off-s", !nums(el, "s").some((i) => shown[i]));
      el.classList.toggle("off-c", !nums(el, "c").some((i) => shown[i]));
    });
    document.getElementById("shown").textContent = shown.filter(Boolean).length + " of " + quotes.length + " quotes shown";
  }
  document.getElementById("filters").addEventListener("input", applyFilters);
  document.getElementById("filters").addEventListener("change", applyFilters);
  applyFilters();

  const target = /^#q(\d+)$/.exec(location.hash);
  if (target && quotes[Number(target[1])]) select(Number(target[1]), true);
})();
