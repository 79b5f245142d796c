"""SQLAlchemy tables and relationships, and nothing else. Schema changes need a migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _case_fk() -> ForeignKey:
    return ForeignKey("cases.id", ondelete="CASCADE")


class Country(Base):
    """ISO 3166-1 country with its UN M49 region and World Bank income group."""

    __tablename__ = "country"
    iso2: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(60), index=True)
    sub_region: Mapped[str] = mapped_column(String(60))
    income_group: Mapped[str | None] = mapped_column(String(20))


class City(Base):
    __tablename__ = "city"
    __table_args__ = (UniqueConstraint("name", "country_iso2"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    country_iso2: Mapped[str] = mapped_column(ForeignKey("country.iso2"), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    country: Mapped[Country] = relationship()


class _Term:
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    definition: Mapped[str] = mapped_column(Text)


class Theme(_Term, Base):
    __tablename__ = "theme"


class InclusionDimension(_Term, Base):
    __tablename__ = "inclusion_dimension"


class Safeguard(_Term, Base):
    __tablename__ = "safeguard"


case_theme = Table(
    "case_theme",
    Base.metadata,
    Column("case_id", _case_fk(), primary_key=True),
    Column("theme_code", ForeignKey("theme.code"), primary_key=True, index=True),
)
case_inclusion = Table(
    "case_inclusion",
    Base.metadata,
    Column("case_id", _case_fk(), primary_key=True),
    Column("dimension_code", ForeignKey("inclusion_dimension.code"), primary_key=True, index=True),
)
case_safeguard = Table(
    "case_safeguard",
    Base.metadata,
    Column("case_id", _case_fk(), primary_key=True),
    Column("safeguard_code", ForeignKey("safeguard.code"), primary_key=True, index=True),
)
case_tag = Table(
    "case_tag",
    Base.metadata,
    Column("case_id", _case_fk(), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class Organization(Base):
    __tablename__ = "organization"
    __table_args__ = (UniqueConstraint("name", "type"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str | None] = mapped_column(String(40))


class CaseOrganization(Base):
    """An organization's role on a case; position keeps the record's order."""

    __tablename__ = "case_organization"
    case_id: Mapped[int] = mapped_column(_case_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    organization: Mapped[Organization] = relationship(lazy="joined")


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("case_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(_case_fk())
    position: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)
    type: Mapped[str | None] = mapped_column(String(20))


class _Statement:
    """A short ordered statement about a case (an outcome, a lesson, a challenge)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Outcome(_Statement, Base):
    """A result, typed as output, outcome or impact (format v1.1), with its figure if any."""

    __tablename__ = "outcome"
    __table_args__ = (UniqueConstraint("case_id", "position"),)
    case_id: Mapped[int] = mapped_column(_case_fk())
    kind: Mapped[str | None] = mapped_column(String(10))
    figure: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str | None] = mapped_column(String(2000))


class Cost(Base):
    """An amount a cited source states the initiative cost, in the source's own currency."""

    __tablename__ = "cost"
    __table_args__ = (UniqueConstraint("case_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(_case_fk())
    position: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    year: Mapped[int | None] = mapped_column(Integer)
    covers: Mapped[str] = mapped_column(String(20))
    funder: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str] = mapped_column(String(2000))
    note: Mapped[str | None] = mapped_column(String(500))


class Translation(Base):
    """A case's title and summary in another language; `reviewed` once a second person has
    checked it against the original."""

    __tablename__ = "case_translation"
    case_id: Mapped[int] = mapped_column(_case_fk(), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    translator: Mapped[str] = mapped_column(String(200))
    reviewed: Mapped[bool] = mapped_column(Boolean)


class Lesson(_Statement, Base):
    __tablename__ = "lesson"
    __table_args__ = (UniqueConstraint("case_id", "position"),)
    case_id: Mapped[int] = mapped_column(_case_fk())


class Challenge(_Statement, Base):
    __tablename__ = "challenge"
    __table_args__ = (UniqueConstraint("case_id", "position"),)
    case_id: Mapped[int] = mapped_column(_case_fk())


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pilot', 'active', 'scaled', 'completed', 'discontinued')", name="status"
        ),
        CheckConstraint(
            "engagement IN ('inform', 'consult', 'involve', 'collaborate', 'empower')",
            name="engagement",
        ),
        CheckConstraint(
            "end_year IS NULL OR start_year IS NULL OR end_year >= start_year", "years"
        ),
        Index("ix_cases_start_year", "start_year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"), index=True)
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    engagement: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    last_reviewed: Mapped[date | None] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    city: Mapped[City] = relationship(lazy="joined")
    themes: Mapped[list[Theme]] = relationship(secondary=case_theme)
    inclusion: Mapped[list[InclusionDimension]] = relationship(secondary=case_inclusion)
    safeguards: Mapped[list[Safeguard]] = relationship(secondary=case_safeguard)
    tags: Mapped[list[Tag]] = relationship(secondary=case_tag)
    organizations: Mapped[list[CaseOrganization]] = relationship(
        order_by=CaseOrganization.position, cascade="all, delete-orphan", passive_deletes=True
    )
    sources: Mapped[list[Source]] = relationship(
        order_by=Source.position, cascade="all, delete-orphan", passive_deletes=True
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        order_by=Outcome.position, cascade="all, delete-orphan", passive_deletes=True
    )
    lessons: Mapped[list[Lesson]] = relationship(
        order_by=Lesson.position, cascade="all, delete-orphan", passive_deletes=True
    )
    challenges: Mapped[list[Challenge]] = relationship(
        order_by=Challenge.position, cascade="all, delete-orphan", passive_deletes=True
    )
    costs: Mapped[list[Cost]] = relationship(
        order_by=Cost.position, cascade="all, delete-orphan", passive_deletes=True
    )
    translations: Mapped[list[Translation]] = relationship(
        order_by=Translation.language, cascade="all, delete-orphan", passive_deletes=True
    )


class CatalogueIdentity(Base):
    """One row: a random id given to this database when it was created. A search index records
    the id of the database it mirrors, so an index is never mistaken for the index of another
    database (one re-created, or swapped in from elsewhere)."""

    __tablename__ = "catalogue_identity"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseRevision(Base):
    """The full record of a case at one revision. Never deleted: nothing is ever lost.

    The autoincrementing id doubles as the catalogue's change counter: a search index that has
    applied every revision up to id N is in step when no revision has a larger id.
    """

    __tablename__ = "case_revision"
    __table_args__ = (UniqueConstraint("slug", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(String(300))
    record: Mapped[str] = mapped_column(Text)
