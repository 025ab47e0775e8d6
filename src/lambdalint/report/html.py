"""A self-contained HTML report for people who own the functions: summary, charts, cost,
a sortable and filterable table of findings, and one card per function with findings.

Drawn from the JSON report's data (``report.json.payload``), so ``lambdalint merge`` renders a
sweep of many shards exactly as one run would. One file, no network: CSS and script are inline,
charts are SVG generated here, and a Content-Security-Policy forbids loading anything else, so
the page works from ``file://`` and as a CI artifact. Levels always carry a word and a symbol,
never a colour alone; printing expands everything and hides the controls.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape

from .cost import Estimate, estimates, format_usd, pricing

LEVELS = ("error", "warning", "note")
_SYMBOL = {"error": "\u2716", "warning": "\u25b2", "note": "\u25cf"}  # heavy x, triangle, dot
CHART_BARS = 20  # longest charts: the rest is summed into one "other" bar
HEADER_PATHS = 5  # paths named in the header; a sweep lists hundreds
TABLE_PAGE = 250  # findings table rows shown at once (printing shows all)

_CSS = """
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--error:#b42318;--warning:#9a6700;--note:#0969da;--bar:#0969da}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:0 1rem 3rem}
h1{font-size:1.6rem;margin:1.2rem 0 .2rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1rem;margin:.2rem 0}
.meta{color:var(--muted);margin:0}
.tiles{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;margin:0;list-style:none}
.tiles li{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;min-width:9rem;background:var(--soft)}
.tiles .n{display:block;font-size:1.5rem;font-weight:600}
.lvl{font-weight:600;white-space:nowrap}.lvl-error{color:var(--error)}.lvl-warning{color:var(--warning)}.lvl-note{color:var(--note)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th button::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \\2191"}th[aria-sort=descending] button::after{content:" \\2193"}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.src{margin:.2rem 0 0;padding:.2rem .4rem;background:var(--soft);border-left:3px solid var(--line);white-space:pre-wrap;word-break:break-all}
.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;margin:.4rem 0 .8rem}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
.filters input,.filters select{font:inherit;padding:.2rem .3rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}svg .bar{fill:var(--bar)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:.8rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;break-inside:avoid;content-visibility:auto;contain-intrinsic-size:auto 260px}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0}
.card dt{color:var(--muted)}.card dd{margin:0}
.card ul{margin:.2rem 0;padding-left:1.1rem}
.note{color:var(--muted);font-size:.9rem}
.pager button{font:inherit}
#findings th:nth-child(1){width:7.5em}#findings th:nth-child(2){width:11em}#findings th:nth-child(3){width:24%}
#findings td:nth-child(3) code{word-break:break-all}
@media print{.filters,.pager,th button::after{display:none}body{max-width:none}a{color:inherit;text-decoration:none}
.card,tr{break-inside:avoid}.card{content-visibility:visible}details>*{display:block}h2{break-after:avoid}}
"""

_SCRIPT = """
(function(){
var table=document.getElementById('findings');if(!table)return;
var data=JSON.parse(document.getElementById('findings-data').textContent);
var rules=data.rules,rows=data.findings,PAGE=data.page,body=table.tBodies[0];
var RANK={error:1,warning:2,note:3},SYM={error:'\\u2716',warning:'\\u25b2',note:'\\u25cf'};
var q=document.getElementById('f-text'),lv=document.getElementById('f-level'),ru=document.getElementById('f-rule');
var count=document.getElementById('f-count'),info=document.getElementById('f-page');
var prev=document.getElementById('f-prev'),next=document.getElementById('f-next');
var shown=[],page=0,key='order',asc=true,printing=false,hay=[];
function text(i){var h=hay[i];if(h===undefined){var r=rows[i],m=rules[r[1]];
h=hay[i]=(r[0]+' '+r[1]+' '+(m?m[0]:'')+' '+r[2]+':'+r[3]+' '+r[5]+' '+(r[6]||'')).toLowerCase();}return h;}
function el(tag,cls,txt){var e=document.createElement(tag);if(cls)e.className=cls;if(txt!=null)e.textContent=txt;return e;}
function row(i){var r=rows[i],tr=el('tr'),td=el('td'),m=rules[r[1]];
tr.dataset.level=r[0];tr.dataset.rule=r[1];
td.appendChild(el('span','lvl lvl-'+r[0],(SYM[r[0]]||'')+' '+r[0]));tr.appendChild(td);
td=el('td');if(m){var a=el('a',null,r[1]);a.href=m[1];td.appendChild(a);td.appendChild(document.createTextNode(' '+m[0]));}else{td.textContent=r[1];}tr.appendChild(td);
td=el('td');td.appendChild(el('code',null,r[2]+':'+r[3]+':'+r[4]));tr.appendChild(td);
td=el('td',null,r[5]);if(r[6]!=null){var pre=el('pre','src');pre.appendChild(el('code',null,r[6]));td.appendChild(pre);}tr.appendChild(td);
return tr;}
function compute(){var t=q.value.toLowerCase(),l=lv.value,f=ru.value;shown=[];
for(var i=0;i<rows.length;i++){var x=rows[i];if((!l||x[0]===l)&&(!f||x[1]===f)&&(!t||text(i).indexOf(t)>=0))shown.push(i);}
if(key!=='order'){var k=key==='rank'?function(i){return RANK[rows[i][0]]||9}:function(i){return rows[i][1]};
shown.sort(function(a,b){var x=k(a),y=k(b),c=x<y?-1:x>y?1:0;return (asc?c:-c)||a-b});}
else if(!asc){shown.reverse();}}
function render(){var pages=Math.max(1,Math.ceil(shown.length/PAGE));if(page>=pages)page=pages-1;
var start=printing?0:page*PAGE,end=printing?shown.length:Math.min(shown.length,start+PAGE);
var frag=document.createDocumentFragment();for(var j=start;j<end;j++)frag.appendChild(row(shown[j]));
body.textContent='';body.appendChild(frag);
count.textContent=shown.length+' of '+rows.length+' findings shown';
info.textContent=shown.length?('rows '+(start+1)+'\\u2013'+end+' of '+shown.length):'no finding matches';
prev.disabled=printing||page===0;next.disabled=printing||page>=pages-1;}
function update(){page=0;compute();render();}
q.addEventListener('input',update);lv.addEventListener('change',update);ru.addEventListener('change',update);
prev.addEventListener('click',function(){page--;render();});next.addEventListener('click',function(){page++;render();});
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th){var b=th.querySelector('button');if(!b)return;
b.addEventListener('click',function(){asc=!(key===th.dataset.key&&asc);key=th.dataset.key;
Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort')});th.setAttribute('aria-sort',asc?'ascending':'descending');update();});});
window.addEventListener('beforeprint',function(){printing=true;render();});
window.addEventListener('afterprint',function(){printing=false;render();});
update();
})();
"""

_RANK = {"error": 1, "warning": 2, "note": 3}


def _level(level: str) -> str:
    return f'<span class="lvl lvl-{escape(level)}">{_SYMBOL.get(level, "")} {escape(level)}</span>'


def _price(value: float | None) -> str:
    return "not in the table" if value is None else "$" + f"{value:.10f}".rstrip("0")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _bar_chart(title: str, items: list[tuple[str, int]], chart_id: str) -> str:
    """A horizontal bar chart as inline SVG; each bar is labelled with its name and count, so the
    chart reads without colour (and a screen reader gets the same list from the title/desc)."""
    if len(items) > CHART_BARS:
        rest = sum(n for _, n in items[CHART_BARS - 1 :])
        items = items[: CHART_BARS - 1] + [(f"{len(items) - CHART_BARS + 1} others", rest)]
    if not items:
        return f'<figure><figcaption>{escape(title)}</figcaption><p class="note">No findings.</p></figure>'
    label_w, bar_w, row_h = 260, 300, 22
    top = max(n for _, n in items) or 1
    height = row_h * len(items) + 4
    desc = "; ".join(f"{name}: {n}" for name, n in items)
    parts = [
        f'<figure><figcaption id="{chart_id}-t">{escape(title)}</figcaption>',
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" width="100%" viewBox="0 0 {label_w + bar_w + 70} {height}" preserveAspectRatio="xMinYMin meet">',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for i, (name, n) in enumerate(items):
        y = i * row_h + 2
        width = max(1, round(bar_w * n / top))
        short = name if len(name) <= 40 else "\u2026" + name[-39:]
        parts.append(
            f'<g><title>{escape(name)}: {n}</title><text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 6}"></rect>'
            f'<text x="{label_w + width + 6}" y="{y + 15}">{n:,}</text></g>'
        )
    parts.append("</svg></figure>")
    return "".join(parts)


def _area(path: str, roots: list[str]) -> str:
    """The repository (path given on the command line) a finding belongs to; with a single
    root, its first directory below that root, so one large repository still splits up."""
    best = ""
    for root in roots:
        if root in (".", "") or path == root or path.startswith(root.rstrip("/") + "/"):
            if len(root) >= len(best):
                best = root
    if len(roots) > 1 and best:
        return best
    rest = path[len(best) :].lstrip("/") if best not in (".", "") else path
    head = rest.split("/", 1)
    inner = head[0] if len(head) > 1 else "(top level)"
    return f"{best.rstrip('/')}/{inner}" if best not in (".", "") else inner


def _table_data(findings: list[dict], rules: dict, lines: dict) -> str:
    """The findings table as JSON for the page's script, which shows it a page at a time: tens of
    thousands of rows laid out at once take a browser many seconds (measured: 19,278 rows,
    10 s), one page of rows a few milliseconds. Rule names and links are listed once."""
    used = sorted({f["rule"] for f in findings})
    table = {
        "page": TABLE_PAGE,
        "rules": {r: [rules[r].name, rules[r].help_uri] for r in used if r in rules},
        "findings": [
            [f["level"], f["rule"], f["path"], f["line"], f["column"], f["message"], (lines.get(f["path"]) or {}).get(str(f["line"]))]
            for f in findings
        ],
    }
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
    # inside <script>: "</" could close the element and "<!--" open a comment; both stay JSON
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _function_findings(functions: list[dict], findings: list[dict]) -> dict[str, list[dict]]:
    """Findings per function: those about the function's own resource or its provisioned
    concurrency, and code findings in its handler module."""
    by_subject: dict[str, list[str]] = {}
    by_module: dict[str, list[str]] = {}
    for fn in functions:
        by_subject.setdefault(fn["address"], []).append(fn["address"])
        for pc in fn.get("provisioned") or []:
            if pc.get("address") and pc["address"] != fn["address"]:
                by_subject.setdefault(pc["address"], []).append(fn["address"])
        if fn.get("handler_module"):
            by_module.setdefault(fn["handler_module"], []).append(fn["address"])
    out: dict[str, list[dict]] = {}
    for f in findings:
        subject = f.get("subject") or ""
        owners = by_subject.get(subject)
        if owners is None and f["path"] in by_module:
            owners = by_module[f["path"]]
        for owner in owners or ():
            out.setdefault(owner, []).append(f)
    return out


def _setting_text(setting: dict | None, unit: str = "") -> str:
    if not setting:
        return "not analysed"
    state, value = setting.get("state"), setting.get("value")
    if state == "unknown":
        source = setting.get("source")
        return f"unknown ({source})" if source else "unknown"
    if value is None or value == "None":
        return "none" + (" (default)" if state == "absent" else "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return f"{value}{unit}" + (" (default)" if state == "absent" else "")


def _card(fn: dict, findings: list[dict], costs: list[Estimate]) -> str:
    s = fn.get("settings") or {}
    pcs = []
    for pc in fn.get("provisioned") or []:
        text = f"{_setting_text(pc.get('amount'))} on {_setting_text(pc.get('qualifier'))}"
        text += ", autoscaled" if pc.get("autoscaled") else ", fixed (no autoscaling)"
        pcs.append(escape(text))
    for c in costs:
        if c.monthly_usd is not None:
            pcs.append(f"<strong>{format_usd(c.monthly_usd)}</strong> a month if enabled all month")
        else:
            pcs.append(escape(f"no cost estimate: {c.reason}"))
    callers = Counter(f"{c['kind']} ({c['invocation']})" for c in fn.get("callers") or [])
    alarms = fn.get("alarms") or []
    rules = Counter(f["rule"] for f in findings)
    handler = f"{fn['handler_module']}:{fn['handler_function']}" if fn.get("handler_module") else "not linked"
    rows = [
        ("Memory", escape(_setting_text(s.get("memory"), " MB"))),
        ("Timeout", escape(_setting_text(s.get("timeout"), " s"))),
        ("Runtime", escape(_setting_text(s.get("runtime")))),
        ("Architecture", escape(_setting_text(s.get("architectures")))),
        ("Reserved concurrency", escape(_setting_text(s.get("reserved_concurrency")))),
        ("Provisioned concurrency", "<br>".join(pcs) if pcs else "none"),
        ("SnapStart", escape(_setting_text(s.get("snapstart")))),
        ("Handler", f"<code>{escape(handler)}</code>"),
        ("Callers", escape(", ".join(f"{n} {k}" for k, n in sorted(callers.items()))) if callers else "none found"),
        ("Alarms", escape(", ".join(sorted({a["metric"] or "unknown metric" for a in alarms}))) + f" ({len(alarms)})" if alarms else "none found"),
    ]
    worst = min((_RANK.get(f["level"], 9) for f in findings), default=9)
    return (
        f'<article class="card" data-worst="{worst}"><h3>{escape(fn["name"])}</h3>'
        f'<p class="meta"><code>{escape(fn["path"])}:{fn["line"]}</code> \u00b7 {escape(fn["kind"])}</p>'
        "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"
        f"<p>{_plural(len(findings), 'finding')}: "
        + ", ".join(f"{escape(r)} \u00d7{n}" for r, n in sorted(rules.items()))
        + "</p></article>"
    )


def render_html(data: dict, rules: dict, region: str | None = None) -> str:
    price = pricing(region)
    findings = data.get("findings") or []
    functions = data.get("functions") or []
    summary = data.get("summary") or {}
    lines = data.get("source_lines") or {}
    roots = sorted((summary.get("by_path") or {}).keys())
    version = (data.get("tool") or {}).get("version", "")
    out: list[str] = []
    add = out.append
    add("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    add(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
    )
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>lambdalint report: {_plural(len(findings), 'finding')}</title><style>{_CSS}</style></head><body>")
    add('<header><h1>lambdalint report</h1>')
    shown_roots = ", ".join(roots[:HEADER_PATHS]) or "."
    if len(roots) > HEADER_PATHS:
        shown_roots = f"{len(roots):,} paths: {shown_roots} and {len(roots) - HEADER_PATHS:,} more"
    add(f'<p class="meta">lambdalint {escape(version)} \u00b7 {escape(shown_roots)}</p></header><main>')

    # summary
    levels = summary.get("by_level") or {}
    # the run's own count (Spring Cloud Function adapters link without a handler module)
    linked = (summary.get("functions") or {}).get("linked")
    if linked is None:
        linked = sum(1 for fn in functions if fn.get("handler_module"))
    baseline = summary.get("baseline")
    tiles = [
        ("functions found", f'<span class="n" id="s-functions">{len(functions):,}</span>'),
        ("linked to handler code", f'<span class="n" id="s-linked">{linked:,}</span>'),
        ("findings", f'<span class="n" id="s-findings">{summary.get("findings", len(findings)):,}</span>'),
    ]
    for level in LEVELS:
        tiles.append((_level(level), f'<span class="n" id="s-{level}">{levels.get(level, 0):,}</span>'))
    tiles.append(("suppressed in source or config", f'<span class="n" id="s-suppressed">{summary.get("suppressed", 0):,}</span>'))
    if baseline is not None:
        tiles.append(("hidden by the baseline", f'<span class="n" id="s-baselined">{baseline.get("matched", 0):,}</span>'))
        tiles.append(("baseline entries fixed", f'<span class="n">{baseline.get("fixed", 0):,}</span>'))
    tiles.append(("files checked", f'<span class="n" id="s-files">{summary.get("files", 0):,}</span>'))
    add('<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2><ul class="tiles">')
    for label, number in tiles:
        add(f"<li>{number}{label}</li>")
    add("</ul>")

    families: dict[str, Counter] = {}
    for f in findings:
        rule = rules.get(f["rule"])
        families.setdefault(rule.family if rule else "other", Counter())[f["level"]] += 1
    add('<h3 id="h-families">Findings by rule family</h3><table aria-labelledby="h-families"><thead><tr><th scope="col">Family</th>')
    add("".join(f'<th scope="col" class="num">{_level(l)}</th>' for l in LEVELS) + '<th scope="col" class="num">total</th></tr></thead><tbody>')
    for family in sorted(families):
        counts = families[family]
        add(f'<tr><th scope="row">{escape(family)}</th>' + "".join(f'<td class="num">{counts.get(l, 0):,}</td>' for l in LEVELS))
        add(f'<td class="num">{sum(counts.values()):,}</td></tr>')
    if not families:
        add('<tr><td colspan="5">No findings.</td></tr>')
    add("</tbody></table></section>")

    # charts
    by_rule = Counter(f["rule"] for f in findings)
    rule_items = [(f"{r} {rules[r].name}" if r in rules else r, n) for r, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    by_area = Counter(_area(f["path"], roots) for f in findings)
    area_items = sorted(by_area.items(), key=lambda kv: (-kv[1], kv[0]))
    add('<section aria-labelledby="h-charts"><h2 id="h-charts">Where the findings are</h2><div class="charts">')
    add(_bar_chart("Findings by rule", rule_items, "c-rule"))
    add(_bar_chart("Findings by repository / path" if len(roots) > 1 else "Findings by directory", area_items, "c-path"))
    add("</div></section>")

    # cost
    costs = {fn["address"]: estimates(fn, price) for fn in functions}
    priced = [(fn, c) for fn in functions for c in costs[fn["address"]]]
    total = sum(c.monthly_usd for _, c in priced if c.monthly_usd is not None)
    add('<section aria-labelledby="h-cost"><h2 id="h-cost">Provisioned concurrency billed around the clock</h2>')
    add(
        f"<p>Provisioned concurrency that no Application Auto Scaling target manages is billed every hour, used or not. "
        f"Each figure assumes the configuration is <strong>enabled all month</strong> ({price.hours_per_month} hours): amount \u00d7 memory in GB "
        f"\u00d7 seconds \u00d7 the {escape(price.region)} price per GB-second for the function's architecture. Requests and duration are "
        f"billed on top and are not included. No figure is given where a value is not known from the configuration.</p>"
    )
    add(f'<p>Estimated total: <strong id="s-cost">{format_usd(total)}</strong> a month '
        f'({_plural(sum(1 for _, c in priced if c.monthly_usd is not None), "configuration")} priced'
        f'{", " + _plural(sum(1 for _, c in priced if c.monthly_usd is None), "configuration") + " not estimated" if any(c.monthly_usd is None for _, c in priced) else ""}).</p>')
    if priced:
        add('<table id="cost"><caption class="note">Monthly estimate per provisioned-concurrency configuration</caption><thead><tr>'
            '<th scope="col">Function</th><th scope="col">Configuration</th><th scope="col" class="num">Amount</th>'
            '<th scope="col" class="num">Memory</th><th scope="col">Architecture</th><th scope="col" class="num">USD / month</th></tr></thead><tbody>')
        for fn, c in sorted(priced, key=lambda p: (-(p[1].monthly_usd or -1), p[0]["path"], p[0]["line"], p[1].address)):
            figure = format_usd(c.monthly_usd) if c.monthly_usd is not None else f"not estimated: {escape(c.reason)}"
            add(f"<tr><td>{escape(fn['name'])}<br><code>{escape(fn['path'])}:{fn['line']}</code></td><td><code>{escape(c.address)}</code></td>"
                f'<td class="num">{c.amount if c.amount is not None else "?"}</td><td class="num">{f"{c.memory_mb} MB" if c.memory_mb else "?"}</td>'
                f'<td>{escape(c.architecture or "?")}</td><td class="num">{figure}</td></tr>')
        add("</tbody></table>")
    add(f'<p class="note">Prices: USD per GB-second of provisioned concurrency in {escape(price.region)} as of {escape(price.as_of)} '
        f"(x86_64: {_price(price.prices.get('x86_64'))}; arm64: {_price(price.prices.get('arm64'))}). "
        f"Sources: {escape('; '.join(price.sources))}. Choose the region with <code>--pricing-region</code>.</p></section>")

    # findings table
    add('<section aria-labelledby="h-findings"><h2 id="h-findings">Findings</h2>')
    add('<div class="filters" role="search"><label>Search<input id="f-text" type="search" placeholder="path, rule, message"></label>')
    add('<label>Level<select id="f-level"><option value="">all levels</option>' + "".join(f'<option value="{l}">{l}</option>' for l in LEVELS) + "</select></label>")
    add('<label>Rule<select id="f-rule"><option value="">all rules</option>')
    add("".join(f'<option value="{escape(r)}">{escape(r + " " + rules[r].name if r in rules else r)}</option>' for r in sorted(by_rule)))
    add(f'</select></label><p id="f-count" aria-live="polite">{_plural(len(findings), "finding")}</p></div>')
    add('<p class="pager"><button type="button" id="f-prev">Previous</button> <span id="f-page"></span> '
        '<button type="button" id="f-next">Next</button></p>')
    add('<noscript><p>The findings table needs JavaScript; the JSON report (<code>--format json</code>) holds the same findings.</p></noscript>')
    add('<table id="findings"><thead><tr>'
        '<th scope="col" data-key="rank"><button type="button">Level</button></th>'
        '<th scope="col" data-key="rule"><button type="button">Rule</button></th>'
        '<th scope="col" data-key="order" aria-sort="ascending"><button type="button">Location</button></th>'
        '<th scope="col">Message and line</th></tr></thead><tbody></tbody></table>')
    add(f'<script type="application/json" id="findings-data">{_table_data(findings, rules, lines)}</script></section>\n')

    # function cards
    owned = _function_findings(functions, findings)
    with_findings = [fn for fn in functions if fn["address"] in owned]
    with_findings.sort(key=lambda fn: (min(_RANK.get(f["level"], 9) for f in owned[fn["address"]]), -len(owned[fn["address"]]), fn["path"], fn["line"]))
    add(f'<section aria-labelledby="h-functions"><h2 id="h-functions">Functions with findings ({len(with_findings):,} of {len(functions):,})</h2>')
    if with_findings:
        add('<div class="cards">' + "".join(_card(fn, owned[fn["address"]], costs[fn["address"]]) for fn in with_findings) + "</div>")
    else:
        add('<p class="note">No function has findings.</p>')
    add("</section>")

    notices = data.get("notices") or []
    if notices:
        add(f'<section aria-labelledby="h-notices"><h2 id="h-notices">Notices ({len(notices):,})</h2><ul>')
        for n in notices:
            where = f"{n['path']}:{n['line']}" if n.get("line") else (n.get("path") or "lambdalint")
            add(f"<li><code>{escape(where)}</code> {escape(n['level'])}: {escape(n['message'])}</li>")
        add("</ul></section>")
    add(f"</main><script>{_SCRIPT}</script></body></html>\n")
    return "".join(out)
