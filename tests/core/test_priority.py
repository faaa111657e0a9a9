"""The translation plan: what is on screen first, then what is near it, then the rest longest first."""

from __future__ import annotations

import threading

from reader.core.priority import BatchPlan, WantedRows


def drain(plan: BatchPlan, moves: dict[int, tuple[int, int]] | None = None, wanted: WantedRows | None = None):
    """Every batch of the plan; ``moves[k]``: the rows on screen set before batch k."""
    out = []
    while True:
        if moves and len(out) in moves:
            wanted.set(*moves[len(out)])
        batch = plan.next_batch()
        if not batch:
            return out
        out.append(batch)


def book(paragraphs: int, per: int):
    """Distinct sentences, ``per`` a paragraph, of growing length; rows[i] = its paragraph."""
    sources = [f"P{p} S{s} " + "x" * ((p * 7 + s * 3) % 40) for p in range(paragraphs) for s in range(per)]
    rows = [[i // per] for i in range(len(sources))]
    return sources, rows


def test_without_a_hint_the_head_then_all_the_rest_at_once():
    sources, rows = book(20, 2)
    batches = drain(BatchPlan(sources, rows, None, batch=8, lead=6))
    assert batches == [list(range(6)), list(range(6, 40))]
    small = drain(BatchPlan(sources[:12], rows[:12], None, batch=8, lead=6))
    assert small == [list(range(12))]  # no head for a short job, as before


def test_the_screen_first_the_top_in_the_first_batch_then_near_then_longest_first():
    sources, rows = book(100, 3)
    wanted = WantedRows()
    wanted.set(10, 14)  # 5 rows, 15 sentences on screen
    plan = BatchPlan(sources, rows, wanted, batch=8, lead=6, top=2)
    batches, screen = [], []
    while batch := plan.next_batch():
        batches.append(batch)
        screen.append(plan.on_screen)
    assert screen[:4] == [True, True, True, False] and not any(screen[4:])  # what the reader looks at
    assert batches[0] == [30, 31]  # the top row on screen, at most `top` sentences
    assert batches[1] == list(range(32, 40))  # the rest of the screen, in reading order
    assert batches[2] == list(range(40, 45))  # ... only what is on screen (a small batch)
    # then a screenful (here a batch) of the rows nearest the screen: two below for one above
    assert [rows[i][0] for i in batches[3]] == [15, 15, 15, 16, 16, 16, 9, 9]
    # then the rest, longest first, in full batches; the last two batches' worth in one call
    rest = [i for b in batches[4:-1] for i in b]
    assert [len(sources[i]) for i in rest] == sorted((len(sources[i]) for i in rest), reverse=True)
    assert min(len(sources[i]) for i in rest) >= max(len(sources[i]) for i in batches[-1])
    assert all(len(b) == 8 for b in batches[4:-1]) and 8 < len(batches[-1]) <= 16
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(300))  # everything, each once


def test_a_jump_moves_the_next_batch_to_the_new_place_and_nothing_twice():
    sources, rows = book(200, 2)
    wanted = WantedRows()
    wanted.set(0, 4)
    plan = BatchPlan(sources, rows, wanted, batch=16, lead=6, top=4)
    batches = drain(plan, {3: (100, 106)}, wanted)
    assert batches[0] == [0, 1] and batches[1] == list(range(2, 10))  # the top row, then the screen
    assert {rows[i][0] for i in batches[3]} == set(range(100, 107))
    assert batches[3] == list(range(200, 214))
    assert {rows[i][0] for i in batches[4]} == {107, 108, 109, 110, 111, 99, 98}
    assert [len(sources[i]) for i in batches[5]] == sorted((len(sources[i]) for i in batches[5]), reverse=True)
    # back to a place already done: nothing of it again, the plan goes on
    plan2 = BatchPlan(sources, rows, wanted, batch=16, lead=6)
    wanted.set(100, 106)
    again = drain(plan2, {2: (0, 4), 4: (100, 106)}, wanted)
    flat = [i for b in again for i in b]
    assert sorted(flat) == list(range(400))


def test_a_source_on_several_rows_is_near_wherever_it_is_and_one_on_no_row_comes_last():
    sources = ["a" * 30, "b", "c" * 10, "title"]
    rows = [[0, 50], [1], [50], []]
    wanted = WantedRows()
    wanted.set(50, 50)
    batches = drain(BatchPlan(sources, rows, wanted, batch=2, lead=2))
    assert batches[0] == [0, 2]
    wanted.set(0, 50)  # the top row is done already: the first batch is the next row's
    plan = BatchPlan(sources, rows, wanted, batch=4, top=1)
    plan._left.discard(0)
    assert plan.next_batch() == [1]
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3]


def test_the_title_above_the_first_row_waits_for_the_second_batch():
    """The title is shown above row 0, but the first batch is the top row alone: one sentence more in
    the engine's first call delays the first English by almost half (bench/translate_priority.py)."""
    sources, rows = book(40, 1)
    sources.append("Le titre")
    rows.append([0])
    wanted = WantedRows()
    wanted.set(0, 5)
    batches = drain(BatchPlan(sources, rows, wanted, batch=8, top=4, header=[40]))
    assert batches[0] == [0]  # the top row, without the title
    assert sorted(batches[1]) == [1, 2, 3, 4, 5, 40]  # the title comes with the rest of the screen
    wanted.set(0, 5)
    only_title_left = BatchPlan(sources, rows, wanted, batch=8, top=4, header=[40])
    only_title_left._left.intersection_update({40})
    assert drain(only_title_left) == [[40]]


def test_rows_near_the_screen_get_no_batch_of_their_own_when_little_is_left():
    """With at most NEAR_MIN_BATCHES batches left, all is done in about the time it takes to read the
    screen: the rest goes longest first in full batches, not a small batch chosen by place."""
    from reader.core.priority import NEAR_MIN_BATCHES

    sources, rows = book(20, 3)  # 60 sentences, batches of 8: 7 batches after the screen's 15
    assert 60 - 15 <= NEAR_MIN_BATCHES * 8
    wanted = WantedRows()
    wanted.set(0, 4)
    plan = BatchPlan(sources, rows, wanted, batch=8, top=3)
    batches = drain(plan)
    assert batches[0] == [0, 1, 2] and sorted(batches[1]) == list(range(3, 15))[:8]
    rest = [i for b in batches[3:] for i in b]
    lengths = [len(sources[i]) for b in batches[3:-1] for i in b]
    assert lengths == sorted(lengths, reverse=True)  # no near batch: longest first at once
    assert sorted(i for b in batches for i in b) == list(range(60)) and len(rest) > 16


def test_a_short_article_after_its_top_row_is_left_to_the_engine_order():
    sources, rows = book(20, 3)
    wanted = WantedRows()
    wanted.set(5, 8)
    batches = drain(BatchPlan(sources, rows, wanted, batch=32, top=4))
    assert batches == [[15, 16, 17], sorted(set(range(60)) - {15, 16, 17})]


def test_the_hint_is_safe_across_threads():
    wanted = WantedRows()
    seen = []

    def reader():
        for _ in range(2000):
            r = wanted.get()
            seen.append(r is None or r[0] <= r[1])

    t = threading.Thread(target=reader)
    t.start()
    for k in range(2000):
        wanted.set(k + 5, k)
    t.join()
    assert all(seen) and wanted.get() == (1999, 2004)
    wanted.clear()
    assert wanted.get() is None
