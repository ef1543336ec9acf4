"""The total-fit line breaker on its own (layout/totalfit.py): boxes, glue and penalties, no ReportLab."""

from __future__ import annotations

import random

import pytest

from newsletter_pdf.layout.totalfit import FORCED, Box, Glue, Penalty, Settings, adjustment_ratios, best_breaks

SPACE = Glue(3.0, 2.0, 1.0)


def words(*widths: float, hyphens: dict[int, list[float]] | None = None) -> list:
    """Boxes of ``widths`` separated by spaces; ``hyphens[i]``: the head widths at which word
    ``i`` may be hyphenated (a 2-wide hyphen)."""
    items: list = []
    for index, width in enumerate(widths):
        if index:
            items.append(SPACE)
        before = 0.0
        for head in (hyphens or {}).get(index, []):
            items += [Box(head - before), Penalty(2.0, 50.0, hyphen=True, fragment=True)]
            before = head
        items.append(Box(width - before))
    return items


def demerits(items, widths, breaks, settings: Settings) -> float:
    """The demerits of a breaking by the formula alone: (line penalty + badness)² per line."""
    total = 0.0
    for ratio in adjustment_ratios(items, widths, breaks):
        total += (settings.line_penalty + 100 * abs(ratio) ** 3) ** 2
    return total


def brute_force_best(items, widths, settings: Settings) -> float | None:
    """The fewest demerits over every subset of the spaces as breaks (small paragraphs only)."""
    spaces = [i for i, item in enumerate(items) if isinstance(item, Glue)]
    best = None
    for mask in range(1 << len(spaces)):
        breaks = [spaces[b] for b in range(len(spaces)) if mask >> b & 1] + [len(items)]
        ratios = adjustment_ratios(items, widths, breaks)
        if any(r < -1 or r > settings.tolerance for r in ratios):
            continue
        value = demerits(items, widths, breaks, settings)
        best = value if best is None else min(best, value)
    return best


def test_the_breaking_chosen_has_the_fewest_demerits_of_all():
    """Against every possible breaking of small random paragraphs: total fit finds the best,
    which greedy filling (each line as full as it goes) often misses."""
    random.seed(3)
    settings = Settings(tolerance=4, fitness_change=0, short_last_line=0)
    greedy_worse = 0
    for _ in range(60):
        items = words(*[random.uniform(10, 45) for _ in range(random.randint(4, 12))])
        expected = brute_force_best(items, [100.0], settings)
        breaks = best_breaks(items, [100.0], settings)
        if expected is None:
            assert breaks is None
            continue
        assert breaks is not None
        assert demerits(items, [100.0], breaks, settings) == pytest.approx(expected)
        greedy = greedy_breaks(items, 100.0)
        ratios = adjustment_ratios(items, [100.0], greedy)
        if all(-1 <= r <= settings.tolerance for r in ratios) and \
                demerits(items, [100.0], greedy, settings) > expected * 1.01:
            greedy_worse += 1
    assert greedy_worse > 0, "the test paragraphs never tell total fit from greedy"


def greedy_breaks(items, width: float) -> list[int]:
    """Each line as full as its natural widths allow (ReportLab's way)."""
    breaks, length, start = [], 0.0, 0
    for index, item in enumerate(items):
        if isinstance(item, Glue):
            following = items[index + 1].width
            if length + item.width + following > width:
                breaks.append(index)
                length = 0.0
                continue
            length += item.width
        else:
            length += item.width
    return breaks + [len(items)]


def test_a_break_is_never_chosen_where_a_line_would_overflow():
    items = words(45, 45, 45, 45, 45)
    breaks = best_breaks(items, [100.0], Settings(tolerance=100))
    assert breaks is not None
    for ratio in adjustment_ratios(items, [100.0], breaks):
        assert ratio >= -1


def test_no_breaking_when_a_word_is_wider_than_the_line():
    assert best_breaks(words(20, 150, 20), [100.0], Settings(tolerance=100)) is None


def test_no_breaking_beyond_the_tolerance():
    # Each line must hold one 60 word and stretch 40 with 0 stretch room: impossible.
    assert best_breaks(words(60, 60), [100.0], Settings(tolerance=1)) is None


def test_a_forced_break_ends_a_line_and_that_line_is_ragged():
    items = [Box(10.0), SPACE, Box(10.0), Penalty(0.0, FORCED), Box(10.0)]
    breaks = best_breaks(items, [100.0])
    assert breaks == [3, 5]
    assert adjustment_ratios(items, [100.0], breaks) == [0.0, 0.0]


def _longest_hyphen_run(items, breaks) -> int:
    run = longest = 0
    for position in breaks[:-1]:
        run = run + 1 if isinstance(items[position], Penalty) and items[position].hyphen else 0
        longest = max(longest, run)
    return longest


def test_never_three_hyphens_in_a_row():
    # Words of 45 with a hyphenation point after 20: a line "tail word head-" (25 45 20-) is
    # nearly full, a line of two whole words (45 45) loose: every line would end in a hyphen.
    items = words(25.0, *[45.0] * 23, hyphens={i: [20.0] for i in range(1, 24)})
    uncapped = best_breaks(items, [100.0], Settings(tolerance=15, double_hyphen=0, max_hyphen_run=99))
    assert _longest_hyphen_run(items, uncapped) > 2
    capped = best_breaks(items, [100.0], Settings(tolerance=15, double_hyphen=0))
    assert capped is not None and _longest_hyphen_run(items, capped) == 2


def test_a_hyphen_costs_more_than_a_slightly_loose_line():
    # Hyphenating the third word fills line 1 exactly; breaking at the space before it leaves
    # line 1 a little loose (ratio 0.5). With a hyphen's penalty the space wins; without, the hyphen.
    space = Glue(5.0, 20.0, 2.0)

    def items(cost: float) -> list:
        return [Box(40.0), space, Box(45.0), space, Box(3.0), Penalty(2.0, cost, hyphen=True, fragment=True),
                Box(30.0), space, Box(20.0)]

    costly = best_breaks(items(50.0), [100.0])
    assert costly == [3, 9]
    free = best_breaks(items(0.0), [100.0], Settings(final_hyphen=0.0))
    assert free == [5, 9]


def test_a_last_line_that_is_a_word_fragment_is_never_chosen_when_forbidden():
    # Line 1 full up to the hyphen, line 2 the fragment "ment.": the alternative is a loose line 1.
    items = words(30, 30, 50, hyphens={2: [30]})
    allowed = best_breaks(items, [97.0], Settings(tolerance=20, fragment_last_line=0.0))
    forbidden = best_breaks(items, [97.0], Settings(tolerance=20, fragment_last_line=None))
    assert allowed is not None and any(isinstance(items[b], Penalty) for b in allowed[:-1])
    assert forbidden is not None and not any(isinstance(items[b], Penalty) for b in forbidden[:-1])


def test_a_short_last_line_is_avoided():
    # Nine 20-wide words in lines of 100 (four fit a line): 4+4+1 leaves a short last line; 3+3+3 does not.
    items = words(*[20.0] * 9)
    settings = Settings(tolerance=10, short_last_line=30.0, short_last_line_demerits=1e12)
    breaks = best_breaks(items, [100.0], settings)
    last_start = breaks[-2] + 1
    last_width = sum(i.width for i in items[last_start:] if not isinstance(i, Penalty))
    assert last_width >= 30.0


def test_a_hyphen_before_the_last_line_costs_more():
    items = words(30, 30, 30, 60, 30, hyphens={3: [30]})
    settings = Settings(tolerance=10, final_hyphen=1e9, fragment_last_line=None)
    breaks = best_breaks(items, [100.0], settings)
    assert breaks is not None
    assert not (isinstance(items[breaks[-2]], Penalty) and items[breaks[-2]].hyphen)


def test_first_line_width_differs():
    items = words(*[20.0] * 10)
    breaks = best_breaks(items, [60.0, 120.0], Settings(tolerance=10))
    ratios = adjustment_ratios(items, [60.0, 120.0], breaks)
    assert all(-1 <= r <= 10 for r in ratios)
    assert len(breaks) >= 2


def test_an_empty_paragraph_has_no_lines():
    assert best_breaks([], [100.0]) == []
