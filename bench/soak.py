"""Soak: several processes write and search one catalogue at once; then nothing may be lost.

    python bench/soak.py --minutes 10 --writers 4 --readers 4 --database sqlite
    python bench/soak.py --minutes 10 --database postgresql --url postgresql+psycopg://u@host/db

Writers take turns at these roles: an import loop (batches of new cases, and earlier batches
imported again with changes), an update loop (each updater owns one field of a shared set of
cases and edits it, half the time with the revision it read, so conflicts happen and are
refused), a delete/restore loop (on its own cases), more update loops. Readers search with
random words and filters, read cases and ask for similar ones. Every process is a real
`python` process using the public KnowledgeBase API, on a fresh SQLite file, or on a fresh
database created on the PostgreSQL server of --url (dropped afterwards).

Printed at the end: operations done, errors (any exception other than an expected conflict),
crashes (processes that died from a signal or did not finish), lost updates (a writer's last
successful value of its own field, import or delete/restore not in the database at the end),
half-written imports, and index drift (`KnowledgeBase.check_index()` problems, plus cases a
search for their exact title does not find). Exit status 1 if any of those is not zero.
`--json` prints the same numbers as one JSON object on the last line (tests/test_reliability.py
runs this script briefly in CI).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

ROLES = ("import", "update", "delete-restore")  # writer i takes ROLES[i], then "update"
FIELDS = ("description", "lessons", "challenges", "tags")  # one per updater
QUERIES = [
    "EV charging",
    "digital identity",
    "older people",
    "participatory budgeting",
    "bike sharing",
    "open data",
    "smart meters",
    "",
    "surveillance cameras",
    "partcipatory budgetting",
    '"open source" NOT bike',
    "soak",
]
BATCH = 3  # cases per import
HOT = 8  # cases the updaters share: few, so that their edits meet
GRACE = 180.0  # seconds a process may run past the end before it counts as hung


# -- the processes -------------------------------------------------------------------------


def open_kb(args: argparse.Namespace) -> Any:
    from kb import KnowledgeBase

    return KnowledgeBase.open(home=args.home, database_url=args.url)


def value_for(field: str, writer: int, n: int) -> Any:
    """A value of `field` that only this writer, in this round, writes."""
    text = f"Written by soak writer {writer} in round {n}."
    return {"description": text, "tags": [f"soak-w{writer}-n{n}"]}.get(field, [text])


def plan(args: argparse.Namespace) -> dict[str, Any]:
    """Which seed cases each writer works on (written by the parent, read by every child)."""
    return json.loads((Path(args.home) / "plan.json").read_text())


def run_updater(args: argparse.Namespace, kb: Any, stats: dict[str, Any]) -> None:
    from kb.errors import UpdateConflict

    mine = plan(args)["updaters"][str(args.number)]
    field, slugs = mine["field"], mine["slugs"]
    last = stats.setdefault("state", {"field": field, "last": {}})["last"]
    rng, n = random.Random(args.number + stats["updates"] + stats["conflicts"]), 0
    while time.time() < args.until:
        slug, n = rng.choice(slugs), n + 1
        value = value_for(field, args.number, n)
        try:
            if rng.random() < 0.5:  # an editor who read the case first
                base = kb.get(slug).revision
                revision = kb.update(slug, {field: value}, base_revision=base, actor="soak")
            else:
                revision = kb.update(slug, {field: value}, actor="soak")
        except UpdateConflict:
            stats["conflicts"] += 1
            continue
        last[slug] = value
        stats["updates"] += 1
        if _field(kb.get(slug).record, field) != value:
            stats["lost_seen"] += 1  # read back at once: another writer's edit undid ours
        if n % 5 == 0:
            kb.search(f"soak {n}", limit=1)  # a search brings the index up to date first
            if kb.index.indexed_revisions([slug]).get(slug, 0) < revision:
                stats["drift_seen"] += 1


def run_importer(args: argparse.Namespace, kb: Any, stats: dict[str, Any]) -> None:
    seeds = plan(args)["import_from"]
    batches = stats.setdefault("state", {"batches": {}})["batches"]
    rng, n = random.Random(99), stats["imports"] + stats["errors"]
    folder = Path(args.home) / "imports"
    folder.mkdir(exist_ok=True)
    while time.time() < args.until:
        n += 1
        if n % 4 == 0 and batches:  # an earlier batch again, changed
            key = rng.choice(sorted(batches))
            cases = {
                s: {**c, "summary": reimported(c["summary"], n)} for s, c in batches[key].items()
            }
        else:
            key = str(n)
            cases = {}
            for k in range(BATCH):
                seed = seeds[(n * BATCH + k) % len(seeds)]
                slug = f"imported-{n}-{k}"
                title = f"{seed['title'][:180].strip()} (import {n}-{k})"
                cases[slug] = {**seed, "slug": slug, "title": title}
        path = folder / f"batch-{n}.jsonl"
        path.write_text("".join(json.dumps(c) + "\n" for c in cases.values()), encoding="utf-8")
        report = kb.import_files([path], actor="soak")
        if report.index_error:
            stats["errors"] += 1
            stats["messages"].append(report.index_error)
        batches[key] = cases
        stats["imports"] += 1


def reimported(summary: str, n: int) -> str:
    """A summary changed by an import in round n (replacing an earlier round's change)."""
    suffix = f" Re-imported in round {n}."
    base = summary.split(" Re-imported in round ")[0]
    return base[: 1000 - len(suffix)].strip() + suffix


def run_deleter(args: argparse.Namespace, kb: Any, stats: dict[str, Any]) -> None:
    slugs = plan(args)["delete_restore"]
    present = stats.setdefault("state", {"present": dict.fromkeys(slugs, True)})["present"]
    rng = random.Random(7 + stats["deletes"] + stats["restores"])
    while time.time() < args.until:
        slug = rng.choice(slugs)
        if present[slug]:
            kb.delete(slug, actor="soak")
            stats["deletes"] += 1
        else:
            before = [r for r in kb.history(slug) if r.action != "delete"][-1]
            kb.restore(slug, before.revision, actor="soak")
            stats["restores"] += 1
        present[slug] = not present[slug]


def run_reader(args: argparse.Namespace, kb: Any, stats: dict[str, Any]) -> None:
    from kb import taxonomy

    slugs = [s for m in plan(args)["updaters"].values() for s in m["slugs"]]
    rng = random.Random(1000 + args.number)
    themes = taxonomy.codes("theme")
    while time.time() < args.until:
        roll = rng.random()
        if roll < 0.8:
            filters: dict[str, Any] = {}
            if rng.random() < 0.3:
                filters["themes"] = [rng.choice(themes)]
            if rng.random() < 0.2:
                filters["year_from"] = rng.randint(2000, 2020)
            sort = rng.choice(["relevance", "relevance", "newest", "title"])
            kb.search(rng.choice(QUERIES), sort=sort, limit=10, **filters)
            stats["searches"] += 1
        elif roll < 0.9:
            kb.get(rng.choice(slugs))
            stats["reads"] += 1
        else:
            kb.similar(rng.choice(slugs), 3)
            stats["reads"] += 1


def _field(record: Any, field: str) -> Any:
    value = getattr(record, field)
    return list(value) if isinstance(value, tuple) else value


def child(args: argparse.Namespace) -> int:
    """One writer or reader: loop until the deadline, then write what it did."""
    results = Path(args.home) / "results"
    log = open(results / f"{args.role}-{args.number}.log", "w")  # noqa: SIM115 - for the process
    faulthandler.enable(log)
    stats: dict[str, Any] = {
        "role": args.role,
        "number": args.number,
        **dict.fromkeys(
            ["imports", "updates", "conflicts", "deletes", "restores", "searches", "reads"], 0
        ),
        **dict.fromkeys(["errors", "lost_seen", "drift_seen"], 0),
        "messages": [],
    }
    loop = {
        "import": run_importer,
        "update": run_updater,
        "delete-restore": run_deleter,
        "reader": run_reader,
    }[args.role]
    kb = open_kb(args)
    while time.time() < args.until:
        try:
            loop(args, kb, stats)
        except Exception as exc:  # noqa: BLE001 - counted and shown; the loop starts again
            stats["errors"] += 1
            if len(stats["messages"]) < 5:
                stats["messages"].append(f"{type(exc).__name__}: {exc}")
            traceback.print_exc(file=log)
            log.flush()
    kb.close()
    tmp = results / f"{args.role}-{args.number}.json.tmp"
    tmp.write_text(json.dumps(stats))
    os.replace(tmp, results / f"{args.role}-{args.number}.json")
    return 0


# -- the parent ----------------------------------------------------------------------------


def seed(args: argparse.Namespace) -> dict[str, Any]:
    """A fresh catalogue of --cases cases (from the bundled one, renamed), and the plan."""
    from kb.config import BUNDLED_CATALOGUE

    with open_kb(args) as kb:
        kb.init()
        records, _ = kb.validate([BUNDLED_CATALOGUE])
        dicts = [r.to_dict() for r in records]
        cases = [
            {**d, "slug": f"soak-{i}", "title": f"{d['title'][:180].strip()} (soak {i})"}
            for i, d in enumerate(dicts[: args.cases])
        ]
        kb.import_dicts(cases, actor="soak")
    roles = [ROLES[i] if i < len(ROLES) else "update" for i in range(args.writers)]
    updaters = [i for i, r in enumerate(roles) if r == "update"]
    slugs = [c["slug"] for c in cases]
    owned = slugs[-max(2, len(slugs) // 4) :] if "delete-restore" in roles else []
    shared = [s for s in slugs if s not in owned][:HOT]
    groups = max(1, -(-len(updaters) // len(FIELDS)))  # updaters sharing a field split cases
    return {
        "roles": roles,
        "updaters": {
            str(w): {
                "field": FIELDS[k % len(FIELDS)],
                "slugs": shared[k // len(FIELDS) :: groups],
            }
            for k, w in enumerate(updaters)
        },
        "delete_restore": owned,
        "import_from": dicts[args.cases :] or dicts,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    home = Path(args.home)
    (home / "results").mkdir(parents=True, exist_ok=True)
    started = time.time()
    layout = seed(args)
    (home / "plan.json").write_text(json.dumps(layout))
    until = time.time() + args.minutes * 60
    procs = []
    for role, number in [(r, i) for i, r in enumerate(layout["roles"])] + [
        ("reader", i) for i in range(args.readers)
    ]:
        command = [sys.executable, __file__, "--role", role, "--number", str(number)]
        command += ["--home", str(home), "--until", str(until)]
        if args.url:
            command += ["--url", args.url]
        procs.append((f"{role}-{number}", subprocess.Popen(command)))
    crashes = []
    for name, proc in procs:
        try:
            code = proc.wait(timeout=max(1.0, until + GRACE - time.time()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            code = "hung"
        if code == "hung" or code < 0:
            how = code if code == "hung" else f"signal {signal.Signals(-code).name}"
            crashes.append(f"{name}: {how}")
        elif code:
            crashes.append(f"{name}: exit {code}")
    results = [json.loads(p.read_text()) for p in sorted((home / "results").glob("*.json"))]
    summary = verify(args, results)
    summary["crashes"] = len(crashes)
    summary["crashed"] = crashes
    summary["seconds"] = round(time.time() - started)
    return summary


def verify(args: argparse.Namespace, results: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare what every writer says it wrote with the database, and the index with both."""
    counts = {
        k: sum(r[k] for r in results)
        for k in ("imports", "updates", "conflicts", "deletes", "restores", "searches", "reads")
    }
    lost, half, messages = 0, 0, [m for r in results for m in r["messages"]]
    with open_kb(args) as kb:
        current = {r.slug: r for r in kb.records()}
        for r in results:
            state = r.get("state", {})
            if r["role"] == "update" and state:
                field = state["field"]
                lost += sum(
                    1
                    for slug, value in state["last"].items()
                    if slug not in current or _field(current[slug], field) != value
                )
            if r["role"] == "delete-restore" and state:
                lost += sum(1 for s, p in state["present"].items() if (s in current) != p)
            if r["role"] == "import" and state:
                for batch in state["batches"].values():
                    found = [s for s in batch if s in current]
                    half += 0 < len(found) < len(batch)
                    lost += len(batch) - len(found)
                    lost += sum(1 for s in found if current[s].summary != batch[s]["summary"])
        lost += sum(r["lost_seen"] for r in results)
        check = kb.check_index()
        unfound = [
            slug
            for slug, record in sorted(current.items())
            if slug not in [h.slug for h in kb.search(record.title, limit=3).hits]
        ]
    drift = len(check.missing) + len(check.stale) + len(check.extra) + len(unfound)
    drift += sum(r["drift_seen"] for r in results)
    return {
        "database": args.database,
        "python": sys.version.split()[0],
        "minutes": args.minutes,
        "writers": args.writers,
        "readers": args.readers,
        "operations": sum(counts.values()),
        **counts,
        "errors": sum(r["errors"] for r in results),
        "messages": messages[:10],
        "lost_updates": lost,
        "half_written_imports": half,
        "index_drift": drift,
        "not_found_by_title": unfound[:10],
        "index_check": {"missing": check.missing[:10], "stale": check.stale[:10]}
        | {"extra": check.extra[:10]},
        "cases": len(current),
    }


def report(summary: dict[str, Any]) -> str:
    s = summary
    return "\n".join(
        [
            f"soak: {s['database']}, {s['writers']} writers, {s['readers']} readers, "
            f"{s['minutes']:g} min, Python {s['python']} ({s['seconds']} s in all)",
            f"operations: {s['operations']} (imports {s['imports']}, updates {s['updates']}, "
            f"conflicts refused {s['conflicts']}, deletes {s['deletes']}, restores "
            f"{s['restores']}, searches {s['searches']}, reads {s['reads']})",
            f"errors: {s['errors']}" + "".join(f"\n  {m}" for m in s["messages"]),
            f"crashes: {s['crashes']}" + "".join(f"\n  {c}" for c in s["crashed"]),
            f"lost updates: {s['lost_updates']}",
            f"half-written imports: {s['half_written_imports']}",
            f"index drift: {s['index_drift']} ({s['cases']} cases; check_index "
            f"{s['index_check']}; not found by title: {s['not_found_by_title']})",
        ]
    )


def fresh_postgres(url: str) -> tuple[str, Any]:
    """A new database on the server of `url`, and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"kb_soak_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--url", help="PostgreSQL server URL (a fresh database is made on it)")
    ap.add_argument("--cases", type=int, default=40, help="cases to start with")
    ap.add_argument("--home", help="folder for the run (default: a new temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    ap.add_argument("--json", action="store_true", help="also print the numbers as JSON")
    ap.add_argument("--role", help=argparse.SUPPRESS)
    ap.add_argument("--number", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--until", type=float, default=0.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.role:
        return child(args)
    args.home = args.home or tempfile.mkdtemp(prefix="kb-soak-")
    drop = None
    if args.database == "postgresql":
        if not args.url:
            ap.error("--database postgresql needs --url")
        args.url, drop = fresh_postgres(args.url)
    else:
        args.url = None
    try:
        summary = run(args)
    finally:
        if drop is not None and not args.keep:
            drop()
    print(report(summary))
    if args.json:
        print(json.dumps(summary))
    bad = ("errors", "crashes", "lost_updates", "half_written_imports", "index_drift")
    return 1 if any(summary[k] for k in bad) else 0


if __name__ == "__main__":
    sys.exit(main())
