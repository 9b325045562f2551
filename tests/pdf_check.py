#!/usr/bin/python3
"""pdf_check.py OUT SOURCE - checks the PDFs that `carepress pdf` made in OUT
from the site in SOURCE (content/), with pdfminer (Debian python3-pdfminer)
and pdftotext. Prints one line per failure and exits 1 if there was any.

Each PDF (every large-print page, and each language's brochure):
  - metadata: the HTML <title> as Title, shown as the window title
    (DisplayDocTitle), the document language (catalog Lang = html lang),
    Marked, a structure tree holding H1, H2 (when the page has h2), Table and
    TH (when it has a table), bookmarks for its h1 and h2 headings;
  - fonts: every font embedded (a font file in its descriptor), all DejaVu;
  - US Letter pages; no text outside 0.75 in margins (so tables fit);
  - sizes (LTChar.size): nothing under 18 pt but footnote reference markers,
    which must be 12 pt or more and be exactly the page's markers, in order;
  - no page ends with a heading (the lowest text above the footer is not
    heading-sized);
  - every page has the running header (the page title) and the footer
    "Page N of M" in the page's language;
  - pdftotext finds every fact the page's Markdown uses (phone numbers,
    addresses, hours, URLs), every heading, and the page's title.
Each brochure: a cover (site name, title, description, language) without a
footer, then every page of site.yaml's order, in that order, each starting
on a new page under its title, and contents whose page numbers are the
pages those titles are on.
"""
import html
import os
import re
import subprocess
import sys

import yaml
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psparser import PSLiteral

LETTER = (612.0, 792.0)
MARGIN = 54.0            # 0.75 in, the least margin the rules allow
BODY_MIN = 17.95         # 18 pt, with rounding
MARKER_MIN = 11.95       # footnote reference markers: 12 pt
HEADING_MIN = 19.5       # print.css headings are 20 pt and up; body 18
TOP_MARGIN = 90.0        # print.css: 1.25 in top and bottom, header and footer inside

failures = []


def fail(where, msg):
    failures.append(f"{where}: {msg}")


def squash(s):
    """Text without whitespace: PDF text has line breaks anywhere."""
    return re.sub(r"\s+", "", s)


def pdf_str(v):
    v = resolve1(v)
    if isinstance(v, bytes):
        if v.startswith(b"\xfe\xff"):
            return v[2:].decode("utf-16-be")
        return v.decode("latin-1")
    if isinstance(v, PSLiteral):
        return v.name
    return str(v)


# --- the site ---------------------------------------------------------------

def load_site(source):
    with open(os.path.join(source, "site.yaml"), encoding="utf-8") as f:
        site = yaml.safe_load(f)
    tags = [l["tag"] for l in site["languages"]]
    facts = {}

    def flatten(prefix, node):
        for k, v in node.items():
            name = f"{prefix}{k}"
            if isinstance(v, dict) and v and set(v) <= set(tags):
                facts[name] = {t: str(v.get(t, "")) for t in tags}
            elif isinstance(v, dict):
                flatten(name + ".", v)
            else:
                facts[name] = {t: str(v) for t in tags}
    flatten("", site.get("facts") or {})
    strings = {}
    for t in tags:
        with open(os.path.join(source, t, "strings.yaml"), encoding="utf-8") as f:
            strings[t] = yaml.safe_load(f)
    return site, tags, facts, strings


def fact_value(facts, name, tag, depth=0):
    v = facts[name][tag]
    if depth < 10:
        v = re.sub(r"\{\{\s*([\w.]+)\s*\}\}",
                   lambda m: fact_value(facts, m.group(1), tag, depth + 1)
                   if m.group(1) in facts else m.group(0), v)
    return v


def page_sources(source, tag):
    """{title: (key, facts used)} for every Markdown page of language tag."""
    out = {}
    d = os.path.join(source, tag)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".md"):
            continue
        text = open(os.path.join(d, name), encoding="utf-8").read()
        m = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
        if not m:
            continue
        meta = yaml.safe_load(m.group(1)) or {}
        key = meta.get("key") or meta.get("translationKey") or name[:-3]
        used = re.findall(r"\{\{\s*([\w.]+)\s*\}\}", m.group(2))
        out[str(meta["title"])] = (key, used)
    return out


# --- the HTML a PDF was made from -------------------------------------------

def html_facts(path):
    text = open(path, encoding="utf-8").read()
    strip = lambda s: html.unescape(re.sub(r"<[^>]+>", "", s)).strip()
    return {
        "title": strip(re.search(r"<title>(.*?)</title>", text, re.S).group(1)),
        "lang": re.search(r'<html lang="([^"]+)"', text).group(1),
        "h1": [strip(h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", text, re.S)],
        "h2": [strip(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", text, re.S)],
        "headings": [strip(h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", text, re.S)],
        "table": "<table" in text,
        "markers": re.findall(r'<sup class="fnref"><a [^>]*>([^<]*)</a></sup>', text),
    }


# --- reading a PDF ------------------------------------------------------------

class Pdf:
    def __init__(self, path):
        self.path = path
        self.file = open(path, "rb")
        self.doc = PDFDocument(PDFParser(self.file))
        self.catalog = self.doc.catalog
        self.info = self.doc.info[0] if self.doc.info else {}
        rm = PDFResourceManager()
        dev = PDFPageAggregator(rm, laparams=None)
        interp = PDFPageInterpreter(rm, dev)
        self.pages = []       # per page: list of LTChar in drawing order
        self.boxes = []
        self.fonts = {}       # name -> has a font file
        for page in PDFPage.create_pages(self.doc):
            interp.process_page(page)
            chars = []
            self._chars(dev.get_result(), chars)
            self.pages.append(chars)
            self.boxes.append([float(x) for x in page.mediabox])
            self._page_fonts(page)
        self.text = [self._pdftotext(i + 1) for i in range(len(self.pages))]

    def _chars(self, item, out):
        for o in item:
            if isinstance(o, LTChar):
                out.append(o)
            elif isinstance(o, LTContainer):
                self._chars(o, out)

    def _page_fonts(self, page):
        fonts = resolve1((page.resources or {}).get("Font")) or {}
        for ref in fonts.values():
            font = resolve1(ref)
            name = pdf_str(font.get("BaseFont"))
            desc = None
            if pdf_str(font.get("Subtype")) == "Type0":
                for d in resolve1(font.get("DescendantFonts")) or []:
                    desc = resolve1(resolve1(d).get("FontDescriptor"))
            else:
                desc = resolve1(font.get("FontDescriptor"))
            desc = desc or {}
            self.fonts[name] = any(k in desc for k in ("FontFile", "FontFile2", "FontFile3"))

    def _pdftotext(self, n):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n),
                               self.path, "-"], capture_output=True, text=True,
                              check=True).stdout

    def all_text(self):
        return "\n".join(self.text)

    def struct_types(self):
        """Every structure type (S) in the structure tree."""
        seen, types = set(), set()
        stack = [self.catalog.get("StructTreeRoot")]
        while stack:
            node = stack.pop()
            if isinstance(node, PDFObjRef):
                if node.objid in seen:
                    continue
                seen.add(node.objid)
            node = resolve1(node)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if "S" in node:
                    types.add(pdf_str(node["S"]))
                if "K" in node:
                    stack.append(node["K"])
        return types

    def outlines(self):
        try:
            return [title for (_level, title, *_rest) in self.doc.get_outlines()]
        except Exception:
            return []


def runs(chars, pred):
    """Strings of consecutive characters (drawing order) for which pred holds."""
    out, cur = [], ""
    for c in chars:
        if pred(c):
            cur += c.get_text()
        elif cur:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def body_chars(pdf, i):
    top = pdf.boxes[i][3] - TOP_MARGIN
    return [c for c in pdf.pages[i] if TOP_MARGIN <= (c.y0 + c.y1) / 2 <= top]


def header_text(pdf, i):
    top = pdf.boxes[i][3] - TOP_MARGIN
    return "".join(c.get_text() for c in pdf.pages[i] if (c.y0 + c.y1) / 2 > top)


# --- the checks every PDF gets ----------------------------------------------

def check_common(where, pdf, page, strings, lang, cover=False):
    """page: html_facts of the HTML it was made from."""
    if pdf_str(pdf.info.get("Title", b"")) != page["title"]:
        fail(where, f"title is {pdf_str(pdf.info.get('Title', b''))!r}, not {page['title']!r}")
    prefs = resolve1(pdf.catalog.get("ViewerPreferences")) or {}
    if resolve1(prefs.get("DisplayDocTitle")) is not True:
        fail(where, "the title is not shown as the window title (DisplayDocTitle)")
    if pdf_str(pdf.catalog.get("Lang", b"")) != page["lang"]:
        fail(where, f"document language is {pdf_str(pdf.catalog.get('Lang', b''))!r}, "
             f"not {page['lang']!r}")
    if resolve1((resolve1(pdf.catalog.get("MarkInfo")) or {}).get("Marked")) is not True:
        fail(where, "not marked as tagged (MarkInfo Marked)")
    types = pdf.struct_types()
    need = {"Document", "H1", "P"}
    if page["h2"]:
        need.add("H2")
    if page["table"]:
        need |= {"Table", "TH", "TD"}
    for t in sorted(need - types):
        fail(where, f"structure tree has no {t}")
    marks = pdf.outlines()
    for h in page["h1"] + page["h2"]:
        if squash(h) not in [squash(m) for m in marks]:
            fail(where, f"no bookmark for heading {h!r}")
    if not pdf.fonts:
        fail(where, "no fonts")
    for name, embedded in sorted(pdf.fonts.items()):
        if not embedded:
            fail(where, f"font {name} is not embedded")
        if "DejaVu" not in name:
            fail(where, f"font {name} is not DejaVu")

    small = []
    label, of = strings[lang]["page_label"], strings[lang]["of_label"]
    n = len(pdf.pages)
    for i, chars in enumerate(pdf.pages):
        at = f"{where}: page {i + 1}"
        w, h = pdf.boxes[i][2] - pdf.boxes[i][0], pdf.boxes[i][3] - pdf.boxes[i][1]
        if (round(w), round(h)) != LETTER:
            fail(at, f"page size {w:.0f}x{h:.0f} pt is not US Letter")
        for c in chars:
            if c.size < BODY_MIN:
                small.append(c)
            if c.get_text().isspace():
                continue
            if c.x0 < MARGIN - 0.5 or c.x1 > w - MARGIN + 0.5 or \
               c.y0 < MARGIN - 0.5 or c.y1 > h - MARGIN + 0.5:
                fail(at, f"{c.get_text()!r} at x {c.x0:.0f}-{c.x1:.0f} y {c.y0:.0f}-{c.y1:.0f} "
                     "is inside the 0.75 in margin")
                break
        body = [c for c in body_chars(pdf, i) if not c.get_text().isspace()]
        if body and not (cover and i == 0):
            low = min(c.y0 for c in body)
            last = [c for c in body if c.y0 - low < 2]
            if all(c.size >= HEADING_MIN for c in last):
                fail(at, "ends with a heading: "
                     + repr("".join(c.get_text() for c in sorted(last, key=lambda c: c.x0))))
        if cover and i == 0:
            if squash(f"{label} 1") in squash(pdf.text[i]):
                fail(at, "the cover has a page footer")
            continue
        if squash(f"{label} {i + 1} {of} {n}") not in squash(pdf.text[i]):
            fail(at, f"no footer '{label} {i + 1} {of} {n}'")
        if not squash(header_text(pdf, i)):
            fail(at, "no running header")
    for c in small:
        if c.size < MARKER_MIN:
            fail(where, f"{c.get_text()!r} is {c.size:.1f} pt, under 12 pt")
            break
    got = "".join(c.get_text() for c in small)
    want = "".join(page["markers"])
    if got != want:
        fail(where, f"text under 18 pt is {got!r}; only the footnote markers {want!r} may be")


def check_facts(where, pdf, facts, used, tag):
    text = squash(pdf.all_text())
    for name in used:
        if name not in facts:
            continue
        v = fact_value(facts, name, tag)
        if name.startswith("url."):
            v = re.sub(r"^https?://", "", v)
        if squash(v) not in text:
            fail(where, f"text has no {name} ({v!r})")


# --- the site's PDFs ------------------------------------------------------------

def pdf_of(rel_html):
    parts = rel_html.split("/")
    if parts[1:] == ["print", "index.html"]:
        return f"{parts[0]}/index.pdf"
    return f"{parts[0]}/{parts[1]}/{parts[1]}.pdf"


def main():
    out, source = sys.argv[1], sys.argv[2]
    site, tags, facts, strings = load_site(source)
    order = [str(k) for k in site.get("pages") or []]
    checked = 0
    for tag in tags:
        sources = page_sources(source, tag)
        titles_by_key = {}
        for root, _dirs, files in os.walk(os.path.join(out, tag)):
            if not (root.endswith("/print") and "index.html" in files):
                continue
            rel = os.path.relpath(os.path.join(root, "index.html"), out)
            page = html_facts(os.path.join(out, rel))
            where = pdf_of(rel)
            if not os.path.exists(os.path.join(out, where)):
                fail(where, f"missing (made from {rel})")
                continue
            pdf = Pdf(os.path.join(out, where))
            checked += 1
            check_common(where, pdf, page, strings, tag)
            text = squash(pdf.all_text())
            for h in page["headings"]:
                if squash(h) not in text:
                    fail(where, f"text has no heading {h!r}")
            title = page["h1"][0] if page["h1"] else ""
            if title in sources:
                key, used = sources[title]
                titles_by_key[key] = title
                check_facts(where, pdf, facts, used, tag)
            else:
                fail(where, f"no Markdown page of {tag} has the title {title!r}")
            for i in range(len(pdf.pages)):
                if squash(title) not in squash(header_text(pdf, i)):
                    fail(f"{where}: page {i + 1}", f"running header is not {title!r}")
        checked += check_brochure(out, tag, order, titles_by_key, sources, site, facts,
                                  strings)
    for f in failures:
        print(f"FAIL: {f}")
    print(f"pdf_check: {checked} PDFs checked, {len(failures)} failures")
    return 1 if failures or not checked else 0


def check_brochure(out, tag, order, titles_by_key, sources, site, facts, strings):
    where = f"{tag}/brochure.pdf"
    html_path = os.path.join(out, tag, "brochure", "index.html")
    if not os.path.exists(html_path):
        fail(where, f"no brochure HTML {tag}/brochure/index.html")
        return 0
    if not os.path.exists(os.path.join(out, where)):
        fail(where, "missing")
        return 0
    page = html_facts(html_path)
    pdf = Pdf(os.path.join(out, where))
    check_common(where, pdf, page, strings, tag, cover=True)
    used = [f for key in order for t, (k, u) in sources.items() if k == key for f in u]
    check_facts(where, pdf, facts, used, tag)

    # The cover.
    cover = squash(pdf.text[0])
    lang_name = next(l["name"] for l in site["languages"] if l["tag"] == tag)
    for what in (strings[tag]["site_name"], page["h1"][0], lang_name):
        if squash(what) not in cover:
            fail(where, f"the cover has no {what!r}")
    desc = re.search(r'<meta name="description" content="([^"]*)"',
                     open(html_path, encoding="utf-8").read())
    if desc and squash(html.unescape(desc.group(1))) not in cover:
        fail(where, "the cover has no description")

    # Every page, in site.yaml order, each at the top of its own page.
    want = [titles_by_key[k] for k in order if k in titles_by_key]
    if len(want) != len(titles_by_key):
        fail(where, "a page of this language is not in site.yaml's pages")
    starts = []   # (title, page number) where a 30 pt page title is
    for i in range(1, len(pdf.pages)):
        for r in runs(body_chars(pdf, i), lambda c: c.size >= 29.5):
            starts.append((r, i + 1))
    found = [t for t, _ in starts]
    if [squash(t) for t in found] != [squash(t) for t in want]:
        fail(where, f"page titles in the PDF are {found}, expected {want} (site.yaml order)")
    page_of = {squash(t): n for t, n in starts}
    for t, n in starts:
        first = [c for c in body_chars(pdf, n - 1) if not c.get_text().isspace()]
        top = max(c.y1 for c in first)
        if max(c.y1 for c in first if c.size >= 29.5) < top - 1:
            fail(where, f"{t!r} does not start page {n}")

    # The contents: the page number after each title is the page it is on.
    toc = next((i for i, t in enumerate(pdf.text) if squash(strings[tag]["contents"]) in
                squash(t)), None)
    if toc is None:
        fail(where, "no contents page")
        return 1
    text = " ".join(pdf.text[toc:toc + 2])
    for t in want:
        words = r"\s+".join(map(re.escape, t.split()))
        m = re.search(words + r"[\s.]*?(\d+)\s*$", text, re.M)
        if not m:
            fail(where, f"the contents have no entry for {t!r}")
            continue
        if int(m.group(1)) != page_of.get(squash(t)):
            fail(where, f"the contents say {t!r} is on page {m.group(1)}, "
                 f"but it is on page {page_of.get(squash(t))}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
