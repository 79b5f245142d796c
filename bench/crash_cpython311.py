"""Why search processes died with SIGSEGV on CPython 3.11, without the project's code.

    python bench/crash_cpython311.py            # every case in a child process, with a verdict
    python bench/crash_cpython311.py CASE       # one case, in this process

The interpreter bug (CPython 3.11 only): the cyclic garbage collector runs synchronously inside
any allocation of a GC-tracked object. One such allocation is the dict that CPython creates
when it "materializes" an instance's inline attribute values (3.11's managed dict), in
make_dict_from_instance_attributes(), called when an attribute is stored that the class's
shared keys cannot hold, or when obj.__dict__ is read. If that collection runs a finalizer or
weakref callback that stores an attribute on the same object, the callback materializes a
second dict from the same values array and frees that array when the dict grows; the outer
store then builds its dict on the freed array and frees it again. The heap is corrupted and
the process dies later, anywhere ("Garbage-collecting", sqlite3, pickle, SQLAlchemy). CPython
3.12 runs the GC only at safe points of the eval loop (gh-97922), so these cases run clean
there.

How the project met it: SQLAlchemy keeps `InstanceState.obj = weakref.ref(obj, state._cleanup)`;
`_cleanup` stores `state._strong_obj` and `state.session_id`. Session.close() stores
`state._strong_obj = None` on every state it held (orm/state.py, _detach_states). Once a class
has had about 30 instances its shared keys are frozen, and `_strong_obj` (first stored at the
first close) is not among them, so that store materializes the state's dict, and may
collect. That is harmless unless mapped objects of that session are cyclic garbage at that
moment, and they were: Whoosh's FileStorage.create() catches FileExistsError and keeps it in
a local (`e = sys.exc_info()[1]`), a frame <-> traceback cycle that keeps the caller's whole
stack alive, and every `ix.writer()` hits it (two temp folders of the same name). A sync that
held ORM objects in its frame while creating a Whoosh writer left those objects to the GC,
which freed them inside Session.close() (the weakref callbacks then ran on the very states
being detached). Whoosh's file lock does the same when another process holds the index
(FcntlLock.acquire), which is why concurrent writers made it so much more likely.

Cases:
  pure          the bug with plain classes and a weakref callback (no third-party code)
  orm-whoosh    SQLAlchemy objects on the stack while a Whoosh writer is created, then the
                session closes: the project's old sync
  orm-only      the same without the Whoosh writer (no frame cycle): no crash
  orm-released  ORM objects turned into plain data and released before the writer is created
                (the project's fix in kb/indexing.py): no crash
  orm-storage   orm-whoosh with kb.engine's storage, whose create() keeps no exception (the
                project's fix in kb/engine.py): no crash; the only case that imports the project

Measured on this machine: CPython 3.11.7 crashes in `pure` and `orm-whoosh` within a second;
3.12.1 runs them clean (orm-storage skipped: project not installed there); the three
fixed cases run clean on 3.11.7.
"""

import gc
import signal
import subprocess
import sys
import tempfile
import time
import weakref

SECONDS = 20.0


def pure() -> int:
    class Target:
        pass

    class State:
        def __init__(self, obj: Target) -> None:
            self.obj = weakref.ref(obj, self._cleanup)
            for i in range(28):  # 29 names: all a 3.11 class's shared keys hold
                setattr(self, f"k{i}", i)

        def _cleanup(self, ref: weakref.ref) -> None:
            self.extra = None  # not a shared key: materializes this object's dict, grows it

    n = 0
    for n in range(1, 1001):  # noqa: B007 - n is the result
        obj = Target()
        obj.cycle = obj  # only the cyclic GC can free it
        state = State(obj)
        obj.state = state
        del obj
        gc.disable()
        hold = [{} for _ in range(200)]  # empty the dict free list: the next dict is a new one
        gc.set_threshold(1)
        gc.enable()
        values = state.__dict__  # materialize -> allocate -> GC -> _cleanup on this state
        values["outer"] = 1  # the dict grows: frees the values array a second time
        del hold
    return n


def orm(mode: str) -> int:
    from sqlalchemy import ForeignKey, create_engine, insert, select
    from sqlalchemy.orm import (
        DeclarativeBase,
        Mapped,
        Session,
        mapped_column,
        relationship,
        selectinload,
    )
    from whoosh import index
    from whoosh.fields import ID, Schema

    class Base(DeclarativeBase):
        pass

    class Case(Base):
        __tablename__ = "case"
        id: Mapped[int] = mapped_column(primary_key=True)
        tags: Mapped[list["Tag"]] = relationship()

    class Tag(Base):
        __tablename__ = "tag"
        id: Mapped[int] = mapped_column(primary_key=True)
        case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:  # Core inserts: the ORM has not stored _strong_obj yet
        conn.execute(insert(Case), [{"id": i} for i in range(1, 101)])
        conn.execute(insert(Tag), [{"case_id": i % 100 + 1} for i in range(500)])
    folder = tempfile.mkdtemp()
    schema = Schema(slug=ID(stored=True))
    if mode == "orm-storage":
        try:
            from kb.search.engine import create_in
        except ImportError:  # the project is not installed for this interpreter
            return -1
        ix = create_in(folder, schema)
    else:
        ix = index.create_in(folder, schema)
    query = select(Case).options(selectinload(Case.tags))

    def write_index() -> None:
        ix.writer().cancel()

    def sync(session: Session) -> int:
        cases = session.scalars(query).all()  # ORM objects in this frame
        if mode != "orm-only":
            write_index()  # stock Whoosh: this frame is now part of a garbage cycle
        return len(cases)

    def read(session: Session) -> list[int]:
        return [len(case.tags) for case in session.scalars(query)]  # plain data only

    end, n = time.time() + SECONDS, 0
    while time.time() < end:
        if mode == "orm-released":
            with Session(engine) as session:
                read(session)  # the ORM objects are freed here, by reference counting
            write_index()
        else:
            with Session(engine) as session:
                sync(session)
        n += 1
    return n


CASES = ["pure", "orm-whoosh", "orm-only", "orm-released", "orm-storage"]


def main() -> int:
    if len(sys.argv) > 1:
        case = sys.argv[1]
        n = pure() if case == "pure" else orm(case)
        if n < 0:
            print(f"{case}: skipped (the project is not installed for this Python)")
        else:
            print(f"{case}: survived {n} rounds on Python {sys.version.split()[0]}")
        return 0
    failed = 0
    for case in CASES:
        start = time.time()
        proc = subprocess.run(
            [sys.executable, "-X", "faulthandler", __file__, case], capture_output=True, text=True
        )
        took = time.time() - start
        if proc.returncode < 0:
            how = f"died from {signal.Signals(-proc.returncode).name} after {took:.1f} s"
            failed += 1
        elif proc.returncode:
            how = f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"
        else:
            how = proc.stdout.strip()
        print(f"{case:13} {how}")
    print(f"python {sys.version.split()[0]}: {failed} of {len(CASES)} cases crashed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
