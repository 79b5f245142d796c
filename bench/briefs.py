"""Briefs on the blind topic set: are the talking points on topic, do they carry the facts a
reviewer expected, and is the risk section true?

    python bench/briefs.py [--home DIR] [--unjudged FILE]

bench/judged/brief-topics.jsonl holds 21 topics written by a reviewer who never saw the brief
code: per topic, expected facts (a case and strings the brief must contain), the cases whose
risks a brief should name (risk_cases) and cases that must never be called a failure
(no_risk_cases). Whether a point's lead fits its topic is read from bench/judged/brief-leads.jsonl
(leads judged by hand by the engineer who wrote the brief code, so not blind); leads not judged
there are counted apart and written to --unjudged for judging.

Per topic it prints: points whose lead was judged on topic (of those judged, and unjudged), the
expected facts the brief contains (every must_contain string present), the risk cases the risk
section names (of those among the brief's matching cases, and of all), and whether the risk
section says anything false: a no-risk case called discontinued or contested, or "none" while
a risk case is among the matches. The catalogue is the bundled one, imported into --home (a
temporary folder by default).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb import KnowledgeBase  # noqa: E402
from kb.config import Settings  # noqa: E402
from kb.errors import EmptyBrief  # noqa: E402

TOPICS = ROOT / "bench" / "judged" / "brief-topics.jsonl"
LEADS = ROOT / "bench" / "judged" / "brief-leads.jsonl"


def brief_text(brief) -> str:  # noqa: ANN001 - a kb.brief.Brief
    """Everything the brief says, as plain text (what a reader or listener gets)."""
    parts = [brief.title, *brief.minute, brief.overview]
    parts += [p.text() for p in brief.points] + brief.risks + brief.reach.lines
    return "\n".join(parts)


def judge(brief, topic: dict, leads: dict) -> dict:  # noqa: ANN001
    text = brief_text(brief)
    on = off = unjudged = 0
    missing = []
    for point in brief.points:
        verdict = leads.get((topic["id"], point.slug, point.lead))
        if verdict is None:
            unjudged += 1
            missing.append({"topic": topic["id"], "slug": point.slug, "lead": point.lead})
        elif verdict:
            on += 1
        else:
            off += 1
    facts = sum(all(s in text for s in f["must_contain"]) for f in topic["expected_facts"])
    named = {c.slug for c in brief.cautions}
    failures = {c.slug for c in brief.cautions if c.is_failure}
    matching = set(brief.matching)
    risk_in_matches = [s for s in topic["risk_cases"] if s in matching]
    false = [f"{s} called a failure" for s in topic["no_risk_cases"] if s in failures]
    says_none = ", none " in brief.risks[0] and not brief.cautions
    if says_none and risk_in_matches:
        false.append(f"says none, but {', '.join(risk_in_matches)} match")
    return {
        "points": len(brief.points),
        "on": on,
        "off": off,
        "unjudged": unjudged,
        "facts": facts,
        "expected": len(topic["expected_facts"]),
        "named": sum(s in named for s in topic["risk_cases"]),
        "named_in_matches": sum(s in named for s in risk_in_matches),
        "risk_in_matches": len(risk_in_matches),
        "risk": len(topic["risk_cases"]),
        "false": false,
        "missing": missing,
    }


def open_catalogue(home: Path | None) -> KnowledgeBase:
    if home is not None and (home / "kb.sqlite3").exists():
        return KnowledgeBase(Settings(home=home))
    home = home or Path(tempfile.mkdtemp(prefix="bench-briefs-"))
    kb = KnowledgeBase(Settings(home=home))
    kb.init()
    kb.import_bundled()
    return kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="a KB_HOME holding the bundled catalogue")
    parser.add_argument("--unjudged", type=Path, help="write leads not yet judged here")
    args = parser.parse_args()
    topics = [json.loads(line) for line in TOPICS.read_text(encoding="utf-8").splitlines()]
    leads = {}
    for line in LEADS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        leads[(row["topic"], row["slug"], row["lead"])] = row["fits"]
    kb = open_catalogue(args.home)
    rows, missing = [], []
    print("topic  points  on/judged  unjudged  facts  risk named (in matches)  false statements")
    for topic in topics:
        try:
            brief = kb.brief(topic["topic"], **topic["filters"])
        except EmptyBrief as exc:
            print(f"{topic['id']}  no brief: {exc}")
            continue
        row = judge(brief, topic, leads)
        rows.append(row)
        missing += row["missing"]
        judged = row["on"] + row["off"]
        print(
            f"{topic['id']:5}  {row['points']:6}  {row['on']:2}/{judged:<6}  {row['unjudged']:8}"
            f"  {row['facts']}/{row['expected']:<3}  {row['named']}/{row['risk']}"
            f" ({row['named_in_matches']}/{row['risk_in_matches']})"
            f"{'':14}{'; '.join(row['false']) or 'none'}   {topic['topic']}"
        )
    on, judged = sum(r["on"] for r in rows), sum(r["on"] + r["off"] for r in rows)
    points = sum(r["points"] for r in rows)
    facts, expected = sum(r["facts"] for r in rows), sum(r["expected"] for r in rows)
    named, risk = sum(r["named"] for r in rows), sum(r["risk"] for r in rows)
    in_matches = sum(r["risk_in_matches"] for r in rows)
    named_in = sum(r["named_in_matches"] for r in rows)
    false = sum(bool(r["false"]) for r in rows)
    print()
    print(f"briefs made: {len(rows)} of {len(topics)}; talking points: {points}")
    if judged:
        share = f"{on / judged:.0%}"
        print(f"points on topic: {on} of {judged} judged ({share}), unjudged {points - judged}")
    print(f"expected facts present: {facts} of {expected} ({facts / expected:.0%})")
    print(
        f"risk cases named: {named} of {risk} ({named / risk:.0%}); of those among the matches:"
        f" {named_in} of {in_matches} ({named_in / max(in_matches, 1):.0%})"
    )
    print(f"briefs with a false risk statement: {false}")
    if args.unjudged and missing:
        args.unjudged.write_text(
            "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in missing), encoding="utf-8"
        )
        print(f"{len(missing)} unjudged leads written to {args.unjudged}")
    kb.close()


if __name__ == "__main__":
    main()
