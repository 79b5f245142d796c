"""ORM rows <-> CaseRecords, and the reference data the tables are keyed on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from kb import models, records, taxonomy
from kb.reference import Place, countries, find_place

TERM_MODELS = {
    "theme": models.Theme,
    "inclusion": models.InclusionDimension,
    "safeguard": models.Safeguard,
}


def sync_reference_data(session: Session) -> None:
    """Bring countries and vocabularies in line with data/ (idempotent; run by init)."""
    for country in countries().values():
        session.merge(
            models.Country(
                iso2=country.iso2,
                name=country.name,
                region=country.region,
                sub_region=country.sub_region,
                income_group=country.income_group,
            )
        )
    vocabularies = taxonomy.load_vocabularies()
    for name, model in TERM_MODELS.items():
        for term in vocabularies[name]:
            session.merge(model(code=term.code, label=term.label, definition=term.definition))


def known_places(session: Session) -> dict[tuple[str, str], Place]:
    """Cities already in the catalogue that have coordinates, by (name, country)."""
    rows = session.execute(
        select(
            models.City.name,
            models.City.country_iso2,
            models.City.population,
            models.City.latitude,
            models.City.longitude,
        ).where(models.City.latitude.is_not(None))
    )
    return {(name, cc): Place(pop, lat, lon) for name, cc, pop, lat, lon in rows}


def case_query() -> Select[tuple[models.Case]]:
    return select(models.Case).options(
        selectinload(models.Case.themes),
        selectinload(models.Case.inclusion),
        selectinload(models.Case.safeguards),
        selectinload(models.Case.tags),
        selectinload(models.Case.organizations),
        selectinload(models.Case.sources),
        selectinload(models.Case.outcomes),
        selectinload(models.Case.lessons),
        selectinload(models.Case.challenges),
        selectinload(models.Case.costs),
        selectinload(models.Case.translations),
    )


def get_cases(session: Session, slugs: list[str], chunk: int = 500) -> dict[str, models.Case]:
    """Many cases by slug, in a few queries rather than one (plus its eager loads) per case."""
    found: dict[str, models.Case] = {}
    for start in range(0, len(slugs), chunk):
        part = slugs[start : start + chunk]
        found.update(
            (c.slug, c) for c in session.scalars(case_query().where(models.Case.slug.in_(part)))
        )
    return found


def get_case(session: Session, slug: str) -> models.Case | None:
    return session.scalars(case_query().where(models.Case.slug == slug)).one_or_none()


def to_record(case: models.Case) -> records.CaseRecord:
    city = case.city
    return records.CaseRecord(
        slug=case.slug,
        title=case.title,
        summary=case.summary,
        description=case.description,
        city=city.name,
        country=city.country_iso2,
        city_population=city.population,
        latitude=city.latitude,
        longitude=city.longitude,
        start_year=case.start_year,
        end_year=case.end_year,
        status=case.status,
        themes=tuple(sorted(t.code for t in case.themes)),
        inclusion=tuple(sorted(t.code for t in case.inclusion)),
        safeguards=tuple(sorted(t.code for t in case.safeguards)),
        engagement=case.engagement,
        organizations=tuple(
            records.Organization(co.organization.name, co.organization.type, co.role)
            for co in case.organizations
        ),
        outcomes=tuple(
            records.Outcome(
                o.text,
                o.kind,
                None if o.figure is None else records.canonical_number(o.figure),
                o.unit,
                o.year,
                o.source_url,
            )
            for o in case.outcomes
        ),
        lessons=tuple(o.text for o in case.lessons),
        challenges=tuple(o.text for o in case.challenges),
        costs=tuple(
            records.Cost(
                records.canonical_number(c.amount),
                c.currency,
                c.covers,
                c.source_url,
                c.year,
                c.funder,
                c.note,
            )
            for c in case.costs
        ),
        tags=tuple(sorted(t.name for t in case.tags)),
        language=case.language,
        sources=tuple(
            records.Source(s.url, s.title, s.publisher, s.year, s.type) for s in case.sources
        ),
        last_reviewed=case.last_reviewed.isoformat() if case.last_reviewed else None,
        translations=tuple(
            records.Translation(t.language, t.title, t.summary, t.translator, t.reviewed)
            for t in sorted(case.translations, key=lambda t: t.language)
        ),
    )


class _Lookup:
    """Get-or-create for shared rows (cities, organizations, tags) within one session."""

    def __init__(self, session: Session):
        self.session = session
        self.terms = {
            name: {t.code: t for t in session.scalars(select(model))}
            for name, model in TERM_MODELS.items()
        }
        # shared rows are loaded once: one query each instead of one per record
        self.cities = {(c.name, c.country_iso2): c for c in session.scalars(select(models.City))}
        self.orgs = {(o.name, o.type): o for o in session.scalars(select(models.Organization))}
        self.tags = {t.name: t for t in session.scalars(select(models.Tag))}

    def city(self, record: records.CaseRecord) -> models.City:
        key = (record.city, record.country)
        if key not in self.cities:
            self.cities[key] = models.City(name=record.city, country_iso2=record.country)
            self.session.add(self.cities[key])
        city = self.cities[key]
        city.population = record.city_population
        city.latitude, city.longitude = record.latitude, record.longitude
        return city

    def organization(self, org: records.Organization) -> models.Organization:
        key = (org.name, org.type)
        if key not in self.orgs:
            self.orgs[key] = models.Organization(name=org.name, type=org.type)
        return self.orgs[key]

    def tag(self, name: str) -> models.Tag:
        if name not in self.tags:
            self.tags[name] = models.Tag(name=name)
        return self.tags[name]


def apply_record(
    session: Session,
    lookup: _Lookup,
    record: records.CaseRecord,
    case: models.Case | None,
    *,
    now: dt.datetime,
) -> models.Case:
    """Write a record onto a case row (new when `case` is None); bumps the revision."""
    with session.no_autoflush:
        return _apply(session, lookup, record, case, now)


def _apply(session, lookup, record, case, now):  # noqa: ANN001, ANN202 - see apply_record
    if case is None:
        case = models.Case(slug=record.slug, created_at=now, revision=0)
        session.add(case)
    else:  # delete old children first: new ones reuse their (case_id, position) keys
        case.organizations, case.sources, case.costs = [], [], []
        case.outcomes, case.lessons, case.challenges = [], [], []
        case.translations = []
        session.flush()
    case.title, case.summary, case.description = record.title, record.summary, record.description
    case.city = lookup.city(record)
    case.start_year, case.end_year = record.start_year, record.end_year
    case.status, case.engagement, case.language = record.status, record.engagement, record.language
    case.last_reviewed = (
        dt.date.fromisoformat(record.last_reviewed) if record.last_reviewed else None
    )
    case.themes = [lookup.terms["theme"][c] for c in record.themes]
    case.inclusion = [lookup.terms["inclusion"][c] for c in record.inclusion]
    case.safeguards = [lookup.terms["safeguard"][c] for c in record.safeguards]
    case.tags = [lookup.tag(t) for t in record.tags]
    case.organizations = [
        models.CaseOrganization(position=i, organization=lookup.organization(o), role=o.role)
        for i, o in enumerate(record.organizations)
    ]
    case.sources = [
        models.Source(
            position=i, url=s.url, title=s.title, publisher=s.publisher, year=s.year, type=s.type
        )
        for i, s in enumerate(record.sources)
    ]
    case.outcomes = [
        models.Outcome(
            position=i,
            text=o.text,
            kind=o.kind,
            figure=o.figure,
            unit=o.unit,
            year=o.year,
            source_url=o.source,
        )
        for i, o in enumerate(record.outcomes)
    ]
    case.costs = [
        models.Cost(
            position=i,
            amount=c.amount,
            currency=c.currency,
            year=c.year,
            covers=c.covers,
            funder=c.funder,
            source_url=c.source,
            note=c.note,
        )
        for i, c in enumerate(record.costs)
    ]
    case.translations = [
        models.Translation(
            language=t.language,
            title=t.title,
            summary=t.summary,
            translator=t.translator,
            reviewed=t.reviewed,
        )
        for t in record.translations
    ]
    case.lessons = [models.Lesson(position=i, text=t) for i, t in enumerate(record.lessons)]
    case.challenges = [
        models.Challenge(position=i, text=t) for i, t in enumerate(record.challenges)
    ]
    case.revision += 1
    case.updated_at = now
    return case


def new_lookup(session: Session) -> _Lookup:
    return _Lookup(session)


def to_view(case: models.Case) -> records.CaseView:
    """A case with the reference data around it (country, region, income group)."""
    country = case.city.country
    return records.CaseView(
        record=to_record(case),
        revision=case.revision,
        country_name=country.name,
        region=country.region,
        sub_region=country.sub_region,
        income_group=country.income_group,
        updated_at=iso(case.updated_at),
    )


def iso(moment: dt.datetime) -> str:
    """UTC time as ISO text; SQLite hands back naive datetimes, which we always write in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def with_place(
    record: records.CaseRecord, known: dict[tuple[str, str], Place] | None = None
) -> records.CaseRecord:
    """Fill a city's missing coordinates and population: from the same city already in the
    catalogue, else from the offline gazetteer (slow to load, so asked only when needed)."""
    if record.latitude is not None and record.city_population is not None:
        return record
    place = (known or {}).get((record.city, record.country)) or find_place(
        record.city, record.country
    )
    if place is None:
        return record
    changes: dict[str, Any] = {}
    if record.latitude is None and place.latitude is not None:
        changes.update(latitude=place.latitude, longitude=place.longitude)
    if record.city_population is None and place.population:
        changes["city_population"] = place.population
    return dataclasses.replace(record, **changes)


def log_revision(
    session: Session,
    case: models.Case,
    record: records.CaseRecord,
    action: str,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
) -> None:
    session.add(
        models.CaseRevision(
            slug=case.slug,
            revision=case.revision,
            action=action,
            actor=actor[:100],
            created_at=now,
            note=note,
            record=json.dumps(record.to_dict(), ensure_ascii=False),
        )
    )
