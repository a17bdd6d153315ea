"""Building, editing (versions once opened) and copying rubrics."""

from dataclasses import dataclass

from django.db import transaction

from communities.public import single_line
from feedback import permissions
from feedback.errors import BadRequest
from feedback.models import Criterion, Level, Phase, Rubric

SPEC_HELP = (
    "One criterion per line starting with '#': '# Title | what it looks at'. Under it, one "
    "level per line starting with '-': '- points | label | what it looks like', from lowest "
    "to highest. Each criterion needs at least two levels."
)


@dataclass
class LevelSpec:
    points: int
    label: str
    description: str


@dataclass
class CriterionSpec:
    title: str
    description: str
    levels: list[LevelSpec]


def parse_rubric_spec(text: str) -> list[CriterionSpec]:
    """The rubric builder's text (see `SPEC_HELP`) into criteria; a clear error per line."""
    criteria: list[CriterionSpec] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            title, _, description = line.lstrip("#").partition("|")
            if not single_line(title):
                raise BadRequest(f"Line {number}: a criterion needs a title after '#'.")
            criteria.append(CriterionSpec(single_line(title)[:160], description.strip(), []))
        elif line.startswith("-"):
            if not criteria:
                raise BadRequest(f"Line {number}: write a criterion ('# Title') before levels.")
            parts = [part.strip() for part in line[1:].split("|")]
            if len(parts) < 2 or not parts[0].isdigit() or not parts[1]:
                raise BadRequest(
                    f"Line {number}: a level reads '- points | label | description', with "
                    "whole points of 0 or more."
                )
            description = parts[2] if len(parts) > 2 else ""
            criteria[-1].levels.append(LevelSpec(int(parts[0]), parts[1][:80], description))
        else:
            raise BadRequest(f"Line {number}: start it with '#' (a criterion) or '-' (a level).")
    if not criteria:
        raise BadRequest("A rubric needs at least one criterion.")
    for criterion in criteria:
        if len(criterion.levels) < 2:
            raise BadRequest(f"'{criterion.title}' needs at least two levels.")
        if len({level.points for level in criterion.levels}) < len(criterion.levels):
            raise BadRequest(f"'{criterion.title}': give each level different points.")
    return criteria


def rubric_spec(rubric: Rubric) -> str:
    """The builder's text for an existing rubric (to edit or copy)."""
    lines = []
    for criterion in rubric.criteria.prefetch_related("levels"):
        lines.append(f"# {criterion.title} | {criterion.description}".rstrip(" |"))
        lines.extend(
            f"- {level.points} | {level.label} | {level.description}".rstrip(" |")
            for level in criterion.levels.all()
        )
    return "\n".join(lines)


def _write_criteria(rubric: Rubric, criteria: list[CriterionSpec]) -> None:
    for position, spec in enumerate(criteria):
        criterion = Criterion.objects.create(
            rubric=rubric, position=position, title=spec.title, description=spec.description
        )
        Level.objects.bulk_create(
            Level(
                criterion=criterion,
                position=index,
                label=level.label,
                description=level.description,
                points=level.points,
            )
            for index, level in enumerate(spec.levels)
        )
    rubric.max_points = sum(max(level.points for level in c.levels) for c in criteria)
    rubric.save(update_fields=["max_points"])


def create_rubric(*, actor, community, title: str, spec: str, circle=None) -> Rubric:
    """A new rubric (version 1) in `community`, or in `circle` for its facilitators."""
    permissions.require(actor, "run_reviews_in", (community, circle))
    criteria = parse_rubric_spec(spec)
    if not single_line(title):
        raise BadRequest("Give the rubric a title.")
    with transaction.atomic(durable=True):
        rubric = Rubric.objects.create(
            community=community, circle=circle, title=single_line(title), created_by=actor
        )
        _write_criteria(rubric, criteria)
    return rubric


def edit_rubric(*, actor, rubric: Rubric, title: str, spec: str) -> Rubric:
    """Edit in place while no round has opened with it; afterwards the edit becomes a new
    version (returned), and rounds not yet open move to it. Opened rounds keep theirs."""
    permissions.require(actor, "manage_rubric", rubric)
    criteria = parse_rubric_spec(spec)
    if not single_line(title):
        raise BadRequest("Give the rubric a title.")
    with transaction.atomic(durable=True):
        rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
        if not rubric.is_locked:
            rubric.title = single_line(title)
            rubric.save(update_fields=["title"])
            rubric.criteria.all().delete()
            _write_criteria(rubric, criteria)
            return rubric
        newest = Rubric.objects.filter(previous=rubric).order_by("-version").first()
        version = (newest.version if newest else rubric.version) + 1
        new = Rubric.objects.create(
            community=rubric.community,
            circle=rubric.circle,
            title=single_line(title),
            version=version,
            previous=rubric,
            created_by=actor,
        )
        _write_criteria(new, criteria)
        rubric.rounds.filter(phase=Phase.DRAFT).update(rubric=new)
    return new


def copy_rubric(*, actor, rubric: Rubric) -> Rubric:
    """An editable copy (version 1) to use in another round."""
    permissions.require(actor, "manage_rubric", rubric)
    return create_rubric(
        actor=actor,
        community=rubric.community,
        circle=rubric.circle,
        title=f"{rubric.title} (copy)"[:160],
        spec=rubric_spec(rubric),
    )
