"""Chinese for the English notes the build's own code writes from templates.

The markets checker (``market_checks`` titles and details), the forecast back-tests
(``market_backtests`` notes) and the uncertainty stage (``index_*_uncertainty_inputs`` choices)
write English sentences filled in from templates. A Chinese page shows them in Chinese: each
function here matches one closed set of templates (a full match, numbers, ids and quoted words
carried over unchanged) and returns the Chinese, or ``None`` for a text no template matches (a
title the edition wrote itself, or a template added later: the page then shows the English as
stored, and the dashboard's language test finds it). A source the note cites stays in its own
language, wrapped in :data:`CITE_OPEN` … :data:`CITE_CLOSE` for the page to show as a citation. A table that already carries a ``*_zh``
column beside the English (a stage that writes its own Chinese) is used as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = tuple["re.Pattern[str]", Callable[[dict[str, str]], str]]

#: a series id (metric:region:segment) or a metric:region pair at the start of a title
_S = r"(?P<s>[a-z0-9_]+:[a-z0-9_]+(?::[a-z0-9_]+)?)"
_N = r"[-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?"         # a number as the checker prints it (1,037.3; 59.2; -2.3)
_R = r"\[[^\]]*\]"                               # a printed range [a, b]
_W = r"\d{4}-\d{4}"                              # a window of years


#: a cited source inside a Chinese note is wrapped in these brackets; the page shows it as a citation
#: (``<cite data-quote>``, in its own language) and drops the brackets
CITE_OPEN, CITE_CLOSE = "⟦", "⟧"


def one_language(label: object, lang: str) -> str:
    """One language of a label an edition writes in both ("基准 Baseline" → "基准" on a Chinese
    page, "Baseline" on an English one); a label in one language is returned as it is."""
    s = str(label)
    m = re.match(r"^([^A-Za-z]*[\u3400-\u9fff）)][^A-Za-z]*?)\s+([A-Za-z].*)$", s)
    if not m:
        return s
    return m.group(1).strip() if lang == "zh" else m.group(2).strip()


def cited(source: str) -> str:
    """A source named inside a note (the edition's citation, kept in its own language)."""
    return CITE_OPEN + source + CITE_CLOSE


def _rules(pairs: list[tuple[str, Callable[[dict[str, str]], str]]]) -> list[Rule]:
    return [(re.compile(p), f) for p, f in pairs]


def _g(m: dict[str, str | None]) -> dict[str, str]:
    return {k: ("" if v is None else v) for k, v in m.items()}


TITLES = _rules([
    (rf"City intelligent compute vs national (?P<y>\d{{4}}) \((?P<v>{_N}) EFLOPS\)",
     lambda g: f"城市智能算力与 {g['y']} 年全国数字（{g['v']} EFLOPS）对比"),
    (rf"{_S} (?P<y>\d{{4}}): two routes to the unpublished level",
     lambda g: f"{g['y']} 年：用两条途径推算未公布的水平"),
    (rf"{_S} (?P<y>\d{{4}}): this edition \((?P<m>[a-z_]+)\) vs previous edition's forecast",
     lambda g: f"{g['y']} 年：本版（{g['m']}）与上一版的预测对比"),
    (rf"{_S}: this edition's CAGR (?P<a>{_N}%) vs previous edition's (?P<b>{_N}%)",
     lambda g: f"本版年均复合增长率 {g['a']}，上一版 {g['b']}"),
    (rf"{_S}: edition comparison (?P<a>{_N}%) \((?P<w1>{_W})\) vs (?P<b>{_N}%) \((?P<w2>{_W})\)",
     lambda g: f"两版增速对比，{g['a']}（{g['w1']}）与 {g['b']}（{g['w2']}）"),
    (rf"{_S}: implied (?P<y>\d{{4}}) value from (?P<f>.+)",
     lambda g: f"由 {g['f']} 推出的 {g['y']} 年数值"),
    (rf"{_S} (?P<y>\d{{4}}): stated (?P<v>{_N}) vs geometric interpolation (?P<a>\d{{4}})->(?P<b>\d{{4}})",
     lambda g: f"{g['y']} 年：公布值 {g['v']} 与 {g['a']}->{g['b']} 的几何插值对比"),
    (rf"{_S} (?P<y>\d{{4}}): stated (?P<v>{_N}) vs constant-CAGR path from (?P<a>\d{{4}}) at (?P<r>{_N}%)",
     lambda g: f"{g['y']} 年：公布值 {g['v']} 与从 {g['a']} 年按 {g['r']} 不变复合增长率倒推的路径对比"),
    (rf"{_S} (?P<a>\d{{4}})->(?P<b>\d{{4}}): (?P<x>{_N}) -> (?P<z>{_N}) vs stated (?P<r>{_N}%)",
     lambda g: f"{g['a']}->{g['b']}：{g['x']} -> {g['z']}，与公布的增速 {g['r']} 对比"),
    (r"Repeated claims across sections agree \((?P<n>\d+) repeats\)",
     lambda g: f"各节重复出现的数字一致（{g['n']} 处重复）"),
    (r"Repeated claims across sections disagree \((?P<n>\d+) repeats\)",
     lambda g: f"各节重复出现的数字不一致（{g['n']} 处重复）"),
    (rf"{_S}: segment CAGRs and (?P<y>\d{{4}}) shares vs total CAGR (?P<r>{_N}%)",
     lambda g: f"各细分市场的年均复合增长率与 {g['y']} 年份额，对照总体年均复合增长率 {g['r']}"),
    (rf"{_S} (?P<y>\d{{4}}) segment shares: (?P<p>[\d.%+ ]+) <= 100%",
     lambda g: f"{g['y']} 年细分市场份额：{g['p']} <= 100%"),
    (rf"{_S}: (?P<a>\d{{4}})->(?P<b>\d{{4}}) multiple '(?P<q>[^']*)' vs (?P<f>.+) \(strict reading (?P<k>{_N})x\)",
     lambda g: f"{g['a']}->{g['b']} 的倍数“{g['q']}”与 {g['f']} 对比（严格读法 {g['k']}x）"),
    (rf"{_S}: (?P<a>\d{{4}})->(?P<b>\d{{4}}) multiple '(?P<q>[^']*)' vs (?P<f>.+)",
     lambda g: f"{g['a']}->{g['b']} 的倍数“{g['q']}”与 {g['f']} 对比"),
    (rf"{_S}: CAGR (?P<w>{_W}) \((?P<a>{_N}) -> (?P<b>{_N})\)(?P<lb> \(lower bound: an endpoint is a bound\))?",
     lambda g: f"{g['w']} 年均复合增长率（{g['a']} -> {g['b']}）" + ("（下限：一个端点是界值）" if g["lb"] else "")),
    (r"Previous ranks of (?P<r>[a-z0-9_]+) are feasible with the stated moves",
     lambda g: f"{ranking_zh(g['r'])}：上期排名与文中所述的名次变化相容"),
    (r"Rank moves of (?P<r>[a-z0-9_]+) contradict each other",
     lambda g: f"{ranking_zh(g['r'])}：名次变化的说法互相矛盾"),
    (r"(?P<r>[a-z0-9_]+): ranking not available", lambda g: f"{ranking_zh(g['r'])}：没有这一排名"),
    (r"Names of (?P<m>[a-z0-9_]+) \((?P<r>[a-z0-9_]+)\)",
     lambda g: f"{series_zh(g['m'] + ':' + g['r'])}的名称"),
    (r"(?P<f>\S+) label order vs the text's ranking (?P<r>[a-z0-9_]+)",
     lambda g: f"原报告{g['f']}的标签顺序与正文给出的排名对比"),
    (r"(?P<id>[a-z0-9_]+): stated '(?P<q>[^']*)' of (?P<w>.+?)'s cost vs list prices",
     lambda g: f"文中说成本为 {g['w']} 的“{g['q']}”，与标价对比"),
    (r"(?P<id>[a-z0-9_]+): no exchange rate for (?P<c>[A-Z]{3})", lambda g: f"{g['id']}：没有 {g['c']} 的汇率"),
    (r"Product name '(?P<q>[^']*)'", lambda g: f"产品名称“{g['q']}”"),
    (r"(?P<id>[a-z0-9_]+): facts not in this edition", lambda g: f"{g['id']}：本版本没有相应的事实"),
])

DETAILS = _rules([
    (rf"cities sum to (?P<p>{_N}%) of the national figure(?P<rest>; city 'P' precision unstated)?",
     lambda g: f"各城市合计为全国数字的 {g['p']}" + ("；城市数字“P”未注明精度" if g["rest"] else "")),
    (rf"relative difference (?P<d>{_N}%) \(tolerance (?P<t>{_N}%)\)",
     lambda g: f"相对差异 {g['d']}（容差 {g['t']}）"),
    (rf"revision (?P<d>{_N}%) \(like-for-like level in the same year\)",
     lambda g: f"修订幅度 {g['d']}（同一年份、同口径的水平）"),
    (r"the comparison mixes CAGR windows; compare levels in the same year \(edition_level_revision\) or rates over "
     r"the same window instead",
     lambda g: "这一比较混用了不同的年均复合增长率区间；应比较同一年份的水平（见两版水平修订的检查）或同一区间的增速"),
    (rf"(?P<lb>lower bound; )?range from rounding (?P<r>{_R}); not stated in the source",
     lambda g: ("下限；" if g["lb"] else "") + f"按舍入推出的范围 {g['r']}；来源未给出"),
    (r"not stated in the source", lambda g: "来源未给出"),
    (r"a yearly path cannot be rebuilt from its endpoints; series store stated years",
     lambda g: "逐年路径无法由两端点重建；序列只保存公布的年份"),
    (r"a CAGR says nothing about the path; stated value (?P<ab>above|below) the constant-growth path"
     r"(?P<x> \(later years grow slower\))?",
     lambda g: "年均复合增长率不说明逐年路径；公布值" + ("高于" if g["ab"] == "above" else "低于") + "不变增速路径"
     + ("（后几年增长较慢）" if g["x"] else "")),
    (rf"recomputed (?P<r>{_N}%); rounding range of the inputs (?P<a>{_R}) (?P<v>contains|misses|overlaps) the stated "
     rf"(?P<b>{_R})",
     lambda g: f"重算为 {g['r']}；输入数字的舍入范围 {g['a']}"
     + {"contains": "包含", "misses": "不包含", "overlaps": "部分覆盖"}[g["v"]] + f"公布值的范围 {g['b']}"),
    (r"all identical", lambda g: "全部相同"),
    (rf"residual segment (?P<a>{_N}) in (?P<y1>\d{{4}}) -> (?P<b>{_N}) in (?P<y2>\d{{4}}) \(implied CAGR (?P<r>{_N}%)\)",
     lambda g: f"剩余细分市场 {g['y1']} 年 {g['a']} -> {g['y2']} 年 {g['b']}（隐含年均复合增长率 {g['r']}）"),
    (rf"sum (?P<s>{_N}%); residual (?P<r>{_N}%)", lambda g: f"合计 {g['s']}；剩余 {g['r']}"),
    (rf"(?P<x>{_N})x; rounding range (?P<r>{_R})", lambda g: f"{g['x']}x；舍入范围 {g['r']}"),
    (rf"(?P<w>{_W}) CAGR (?P<a>{_N}%) vs stated (?P<w2>{_W}) CAGR (?P<b>{_N}%): (?P<fs>faster|slower) by (?P<d>{_N}) pp; "
     rf"a (?P<w3>{_W}) rate must not be extrapolated from (?P<y>\d{{4}})",
     lambda g: f"{g['w']} 年均复合增长率 {g['a']}，公布的 {g['w2']} 年均复合增长率为 {g['b']}："
     + ("快" if g["fs"] == "faster" else "慢") + f" {g['d']} 个百分点；{g['w3']} 的增速不能从 {g['y']} 年外推"),
    (rf"(?P<w>{_W}) CAGR (?P<a>{_N}%) vs stated (?P<w2>{_W}) CAGR (?P<b>{_N}%): within (?P<d>{_N}) pp \(windows differ\)",
     lambda g: f"{g['w']} 年均复合增长率 {g['a']}，公布的 {g['w2']} 年均复合增长率为 {g['b']}：相差在 {g['d']} "
     "个百分点以内（区间不同）"),
    (rf"(?P<x>{_N})x vs (?P<k>{_N})x \((?P<d>{_N}%)\); bands: APPROX ≤ (?P<a>{_N}%), WARN ≤ (?P<w>{_N}%)",
     lambda g: f"{g['x']}倍与{g['k']}倍对比（{g['d']}）；判定区间：近似一致 ≤ {g['a']}，警告 ≤ {g['w']}"),
    (rf"(?P<q>\S+) read as \(N\+1\)x: (?P<x>{_N})x vs (?P<k>{_N})x \((?P<d>{_N}%)\); the wording is ambiguous",
     lambda g: f"“{g['q']}”读作 (N+1) 倍：{g['x']}x 与 {g['k']}x 对比（{g['d']}）；措辞有歧义"),
    (r"the claims agree", lambda g: "各处说法一致"),
    (r"(?P<a>\d+(?: vs \d+)+) items; the shorter lists are subsets of (?P<l>\S+): use that list",
     lambda g: f"{g['a'].replace(' vs ', ' 对 ')} 项；较短的列表都是 {g['l']} 的子集：应使用该列表"),
    (r"the lists agree", lambda g: "各列表一致"),
    (rf"(?P<p>{_N}%) of the stated maximum; the rest is CPUs, network, cooling and power losses",
     lambda g: f"为所述上限的 {g['p']}；其余是 CPU、网络、散热和供电损耗"),
    (r"(?P<n>\d+) names for one series \((?P<names>[^)]*)\); the registry keeps one id \((?P<id>[a-z0-9_]+)\) with "
     r"aliases",
     lambda g: f"同一序列有 {g['n']} 个名称（{g['names']}）；序列登记只用一个名称（{metric_name(g['id'])}），其余为别名"),
    (r"one name", lambda g: "只有一个名称"),
    (r"text top (?P<n>\d+): (?P<a>[^;]*); figure's first (?P<m>\d+) labels: (?P<b>[^;]*)"
     r"(?:; only in the figure: (?P<c>[^;]*); only in the text: (?P<d>.*?) \(labels may not be in value order\))?",
     lambda g: f"正文前 {g['n']} 名：{g['a']}；图中前 {g['m']} 个标签：{g['b']}"
     + (f"；只在图中：{g['c']}；只在正文中：{g['d']}（标签未必按数值排序）" if g["c"] or g["d"] else "")),
    (r"the text dates it (?P<a>\S+) \+ (?P<n>\S+) month\(s\) \(qualifier '(?P<q>[^']*)'\), which spans (?P<y>[\d/]+)"
     r"(?:; external date (?P<e>\S+) \((?P<src>.*)\) puts it in (?P<ey>\d{4}))?(?P<mp>; date fields need month precision)?",
     lambda g: f"正文给出的日期为 {g['a']} + {g['n']} 个月（限定词“{g['q']}”），跨 {g['y']} 年"
     + (f"；外部日期 {g['e']}（{cited(g['src'])}）落在 {g['ey']} 年" if g["e"] else "")
     + ("；日期字段需要精确到月" if g["mp"] else "")),
    (r"printed '(?P<p>[^']*)', the product is '(?P<e>[^']*)' \((?P<src>.*)\); an editorial error",
     lambda g: f"印作“{g['p']}”，产品名是“{g['e']}”（{cited(g['src'])}）；属编辑错误"),
    (r"printed as the product is named", lambda g: "印刷名称与产品名一致"),
    (r"fixed: (?P<f>[^;]*)(?:; open: (?P<o>.*?))?(?P<c>; improved list taken as complete)?",
     lambda g: f"确定：{g['f']}" + (f"；待定：{g['o']}" if g["o"] else "") + ("；进步名单视为完整" if g["c"] else "")),
    (r"different thresholds for the same quantity \((?P<a>[^)]*)\); keep them as ranges, not one parameter: together "
     r"(?P<b>.+)",
     lambda g: f"同一数量的阈值不同（{g['a']}）；保留为范围，不合并为一个参数：合起来为 {g['b']}"),
    (r"model (?P<p>\S+) = (?P<v>\S+) \(range (?P<r>\S+)\); its central value lies outside (?P<o>.+) \(its range overlaps "
     r"them\)",
     lambda g: f"模型参数 {g['p']} = {g['v']}（范围 {g['r']}）；中心值在 {g['o']} 之外（其范围与之重叠）"),
    (r"model (?P<p>\S+) = (?P<v>\S+) \(range (?P<r>\S+)\); its whole range lies outside (?P<o>.+)",
     lambda g: f"模型参数 {g['p']} = {g['v']}（范围 {g['r']}）；整个范围在 {g['o']} 之外"),
    (rf"(?P<r>{_N}%) vs stated (?P<s>{_N}%) \((?P<d>{_N}%)\); APPROX band (?P<b>{_N}%) for '(?P<q>[^']*)'; the ratio "
     r"depends on the token mix and the exchange rate",
     lambda g: f"{g['r']}，文中为 {g['s']}（{g['d']}）；“{g['q']}”的近似一致区间为 {g['b']}；该比值取决于 Token 构成和汇率"),
    (r"missing fact ids: (?P<i>.+)", lambda g: f"缺少的事实 id：{g['i']}"),
    (r"no rankings input(?P<w> with this ranking)?", lambda g: "没有" + ("这一" if g["w"] else "") + "排名输入"),
])

NOTES = _rules([
    (r"nominal (?P<l>\d+)% interval; coverage out of sample over (?P<n>\d+) backtest forecasts",
     lambda g: f"名义 {g['l']}% 区间；覆盖率为 {g['n']} 次回测预测的样本外覆盖率"),
    (r"(?P<m>[a-z_]+) needs (?P<k>\d+) stated points in consecutive years",
     lambda g: f"{g['m']} 需要连续年份中的 {g['k']} 个公布值"),
    (r"no backtest origin \(too few stated points\)", lambda g: "没有回测起点（公布值太少）"),
])

#: the uncertainty stage's labels of discrete choices (``choices`` of ``index_*_uncertainty_inputs``)
CHOICES = {"none (gaps skipped)": "不插补（跳过缺口）", "median": "中位数", "region median": "区域中位数", "none": "无",
           "off": "关闭", "coinr (on)": "COINr（开启）", "amean": "算术平均", "gmean": "几何平均",
           "min-max 1-100": "最小-最大 1-100", "z-score 10±2": "Z 分数 10±2", "hmean": "调和平均", "rank": "排名",
           "borda": "Borda", "copeland": "Copeland", "vikor": "VIKOR", "topsis": "TOPSIS"}


def _first(rules: list[Rule], text: object, series: bool = False) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    for rx, f in rules:
        m = rx.fullmatch(s)
        if m:
            g = _g(m.groupdict())
            out = f(g)
            # a title names its series by id (intelligent_compute:china:total); the Chinese leads
            # with the series' name, so that two checks of one rule on two series read apart
            if not (series and g.get("s")):
                return out
            # "中国智能算力规模 2023 年：…" rather than a second colon after the name
            return f"{series_zh(g['s'])}{' ' if out[:4].isdigit() else '：'}{out}"
    return None


def metric_name(metric: str, lang: str = "zh") -> str:
    """A market metric's name in ``lang`` (the market registry's), or its id where it has none."""
    from .markets.registry import METRICS

    m = METRICS.get(metric)
    return (m.zh if lang == "zh" else m.en) if m else metric


def series_name(series: str, lang: str = "zh") -> str:
    """A series id (``metric:region[:segment]``) as a name, with the dashboard's region and segment
    names (:mod:`suanli.web.names`): 中国智能算力规模, 全球人工智能服务器市场规模（生成式人工智能）;
    China AI server market (GenAI). Parts it does not know stay as written."""
    from .web.names import MARKET_REGIONS, SEGMENTS

    i = 0 if lang == "zh" else 1
    metric, _, rest = series.partition(":")
    region, _, segment = rest.partition(":")
    name = metric_name(metric, lang)
    where = MARKET_REGIONS.get(region, (region, region))[i] if region else ""
    if lang == "zh":
        name = name if not where or name.startswith(where) else where + name
    elif where:
        name = f"{where} {name if name[:2] == 'AI' else name[0].lower() + name[1:]}"
    seg = SEGMENTS.get(segment, (segment, segment))[i] if segment and segment != "total" else ""
    return name if not seg else f"{name}（{seg}）" if lang == "zh" else f"{name} ({seg})"


def series_zh(series: str) -> str:
    """:func:`series_name` in Chinese."""
    return series_name(series, "zh")


#: the checker's English wordings that name a code id, and how a page reads them
_EN_IDS = _rules([
    (rf"^{_S}(?P<sep>:? )", lambda g: series_name(g["s"], "en") + g["sep"]),
    (r"Names of (?P<m>[a-z0-9_]+) \((?P<r>[a-z0-9_]+)\)", lambda g: f"Names of {series_name(g['m'] + ':' + g['r'], 'en')}"),
    (r"label order vs the text's ranking [a-z0-9_]+", lambda g: "label order vs the ranking in the text"),
    # the figure numbers the checker names are the original report's, not this report's
    (r"^图(?P<n>\d+) ", lambda g: f"The original report's Figure {g['n']} "),
    (r"^[a-z0-9_]+: stated '", lambda g: "Stated '"),
    (r" \(edition_level_revision\)", lambda g: " (see the level-revision checks)"),
    (r"the registry keeps one id \((?P<id>[a-z0-9_]+)\)",
     lambda g: f"the registry keeps one name ({metric_name(g['id'], 'en')})"),
])


def readable_en(text: str) -> str:
    """A check's English title or detail as a page shows it: series, metrics and rankings by name
    instead of by the ids the checker writes (the stored table keeps the ids)."""
    for rx, f in _EN_IDS:
        text = rx.sub(lambda m, f=f: f(_g(m.groupdict())), text)
    return text


def ranking_zh(ranking: str) -> str:
    """A ranking id in words: the city and industry rankings by their kind, others as written."""
    if ranking.startswith("city_"):
        return "城市排名"
    if ranking.startswith("industry_"):
        return "行业排名"
    return ranking


def title_zh(text: object) -> str | None:
    """A market check's title in Chinese (``None``: not one of the checker's templates)."""
    return _first(TITLES, text, series=True)


def detail_zh(text: object) -> str | None:
    """A market check's detail in Chinese (``None``: no template matches)."""
    return _first(DETAILS, text)


def note_zh(text: object) -> str | None:
    """A back-test's note in Chinese (``None``: no template matches)."""
    return _first(NOTES, text)


def choices_zh(text: object) -> str | None:
    """The choices of an uncertain input in Chinese: ``20 node weights`` or labels joined by `` | ``;
    an excluded indicator (``-id``) stays its id."""
    if not isinstance(text, str) or not text.strip():
        return None
    m = re.fullmatch(r"(\d+) node weights", text.strip())
    if m:
        return f"{m.group(1)} 个节点权重"
    out = []
    for part in text.split(" | "):
        p = part.strip()
        if p.startswith("-") and re.fullmatch(r"-[a-z0-9_]+", p):
            out.append(p)
        elif p in CHOICES:
            out.append(CHOICES[p])
        else:
            return None
    return " | ".join(out)


def check_text(row: object, col: str, lang: str) -> str:
    """A check's ``title`` or ``detail`` (a row of ``market_checks`` or ``energy_claim_checks``) in
    ``lang`` for a report page: on Chinese pages the checker's own ``<col>_zh`` where filled (a title
    the edition translated), else the Chinese of the checker's template (a cited source without the
    citation brackets the dashboard uses), else the English as written."""
    en = getattr(row, col, "")
    en = en if isinstance(en, str) else ""
    if lang != "zh":
        return readable_en(en)
    own = getattr(row, col + "_zh", "")
    if isinstance(own, str) and own:
        return own
    zh = (title_zh if col == "title" else detail_zh)(en)
    # a page of text has no citation markup: the cited source reads as written, in its own language
    return zh.replace(CITE_OPEN, "").replace(CITE_CLOSE, "") if zh else en
