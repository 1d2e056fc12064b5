"""Tests for the sequence tasks of dlcourse.datasets (chapters 13-16).

future_task and memory_task (one-hot sequences for recurrent nets): shapes,
labels recomputed from the symbols, the draws of the old experiment code.
addition, dates, reversal and sorting: deterministic for a seed, no global
RNG, encode/decode round trips, and answers that are right by an independent
computation (int arithmetic, datetime, reversed/sorted strings).
"""
import datetime
import re

import numpy as np
import pytest

from dlcourse import datasets as ds


@pytest.fixture(scope="module")
def add():
    return ds.addition(n=3000, seed=0)


@pytest.fixture(scope="module")
def dates():
    return ds.dates(n=3000, seed=0)


def _same(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.arrays(), b.arrays())) and \
        a.questions_train == b.questions_train and a.questions_test == b.questions_test


@pytest.mark.parametrize("make", [
    lambda s: ds.addition(n=500, seed=s), lambda s: ds.dates(n=500, seed=s),
    lambda s: ds.reversal(n=200, length=6, seed=s), lambda s: ds.sorting(n=200, length=6, seed=s)],
    ids=["addition", "dates", "reversal", "sorting"])
def test_deterministic_and_leaves_global_rng_alone(make):
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a, b, c = make(0), make(0), make(1)
    assert np.array_equal(before, np.random.get_state()[1])
    assert _same(a, b)
    assert not _same(a, c)


# --- one-hot symbol sequences (chapters 13-14) --------------------------------------

def test_future_task_labels():
    xs, ts, sym = ds.future_task(20, 10, 3, np.random.default_rng(0))
    assert xs.shape == (20, 10, 4) and np.all(ts[:, 7:] == -1)
    np.testing.assert_array_equal(ts[:, :7], sym[:, 3:] == 3)
    with pytest.raises(ValueError):
        ds.future_task(2, 5, 5, np.random.default_rng(0))


def test_future_task_is_one_hot_with_x_half_the_time():
    xs, ts, sym = ds.future_task(400, 12, 0, np.random.default_rng(1))
    assert xs.dtype == np.float64 and np.array_equal(xs.argmax(axis=2), sym)
    assert np.array_equal(xs.sum(axis=2), np.ones((400, 12)))
    assert ds.FUTURE_SYMBOLS[3] == "X" and len(ds.FUTURE_SYMBOLS) == xs.shape[2]
    assert 0.47 < np.mean(sym == 3) < 0.53                       # X with probability 1/2
    for k in range(3):                                           # A, B, C share the rest
        assert 0.14 < np.mean(sym == k) < 0.19
    np.testing.assert_array_equal(ts, sym == 3)                  # lag 0: every step is labelled
    with pytest.raises(ValueError, match="0 <= lag < T"):
        ds.future_task(2, 5, -1, np.random.default_rng(0))


def test_future_task_draws_as_the_chapter_13_code_did():
    rng, ref = np.random.default_rng(5), np.random.default_rng(5)
    xs, ts, sym = ds.future_task(3, 12, 2, rng)
    expected = np.where(ref.random((3, 12)) < 0.5, 3, ref.integers(0, 3, (3, 12)))
    np.testing.assert_array_equal(sym, expected)
    assert rng.random() == ref.random()                          # the same number of draws


def test_memory_task_puts_the_label_first_and_distractors_after():
    xs, t = ds.memory_task(lag=6, n=50, rng=0, n_symbols=4, n_distractors=8)
    assert xs.shape == (50, 7, 12) and t.shape == (50,)
    ids = xs.argmax(axis=2)
    assert np.array_equal(xs.sum(axis=2), np.ones((50, 7)))            # one-hot
    assert np.array_equal(ids[:, 0], t) and t.min() >= 0 and t.max() <= 3
    assert ids[:, 1:].min() >= 4 and ids[:, 1:].max() <= 11             # distractors only after t = 0
    again, _ = ds.memory_task(lag=6, n=50, rng=0)
    assert np.array_equal(xs, again)
    with pytest.raises(ValueError, match="lag >= 1"):
        ds.memory_task(lag=0, n=3)


def test_memory_task_draws_distractors_then_labels():
    rng, ref = np.random.default_rng([0, 40, 2]), np.random.default_rng([0, 40, 2])
    xs, t = ds.memory_task(3, 5, rng, n_symbols=2, n_distractors=3)
    ids = ref.integers(2, 5, size=(5, 4))
    labels = ref.integers(0, 2, size=5)
    ids[:, 0] = labels
    np.testing.assert_array_equal(t, labels)
    np.testing.assert_array_equal(xs, np.eye(5)[ids])
    assert xs.dtype == np.float64 and rng.random() == ref.random()
    with pytest.raises(ValueError, match="whole lag"):
        ds.memory_task(lag=2.5, n=3)


@pytest.mark.parametrize("make", [lambda: ds.future_task(5, 6, 1, np.random.default_rng(0)),
                                  lambda: ds.memory_task(4, 5, rng=0)],
                         ids=["future_task", "memory_task"])
def test_one_hot_tasks_leave_global_rng_alone(make):
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    make()
    assert np.array_equal(before, np.random.get_state()[1])


# --- character-level tasks (chapters 15-16) ----------------------------------------

def test_vocabulary_round_trip_and_errors():
    v = ds.Vocabulary("abc+")
    assert (v.pad, v.start) == (0, 1) and v.chars[:2] == (" ", "_") and len(v) == 6
    for text in ["abc", "a+b ", "", "_cab"]:
        assert v.decode(v.encode(text)) == text
    assert v.encode_batch(["ab", "c"], 3).tolist() == [[v.ids["a"], v.ids["b"], 0],
                                                       [v.ids["c"], 0, 0]]
    with pytest.raises(ValueError, match="'z'"):
        v.encode("az")
    with pytest.raises(ValueError, match="longer"):
        v.encode_batch(["abcd"], 3)
    with pytest.raises(ValueError):
        ds.Vocabulary("ab", pad="_", start="_")


def test_addition_shapes_round_trip_and_sums(add):
    v = add.vocab
    assert add.x_train.shape == (2700, 7) and add.t_train.shape == (2700, 5)
    assert add.x_test.shape == (300, 7) and add.t_test.shape == (300, 5)
    assert len(v) == 13 and add.x_train.dtype == np.int64
    assert np.all(add.t_train[:, 0] == v.start) and np.all(add.t_test[:, 0] == v.start)
    for x, t, q, a in zip(add.x_train, add.t_train, add.questions_train, add.answers_train):
        assert v.decode(x) == q.ljust(7) and v.decode(t) == ("_" + a).ljust(5)
        p, r = map(int, q.split("+"))
        assert int(a) == p + r and 0 <= p < 1000 and 0 <= r < 1000
    questions = add.questions_train + add.questions_test
    assert len(set(questions)) == len(questions), "questions must be distinct"
    short = sum(len(q.split("+")[0]) == 1 for q in questions) / len(questions)
    assert 0.25 < short < 0.4, "operand lengths are uniform over 1..3 digits"


def test_addition_options():
    small = ds.addition(n=50, seed=3, max_digits=1, test_ratio=0.2)
    assert small.x_train.shape == (40, 3) and small.t_test.shape == (10, 3)
    with pytest.raises(ValueError):
        ds.addition(n=51, max_digits=1)          # only 100 questions, at most half asked
    with pytest.raises(ValueError):
        ds.addition(n=10, max_digits=0)


_MONTHS = [datetime.date(2000, m, 1).strftime("%B").lower() for m in range(1, 13)]


def _parse(question):
    """An independent reading of a question: returns a datetime.date."""
    q = question.lower().replace(",", "").replace(".", " . ")
    words = re.findall(r"[a-z]+|\d+|[./-]", q)
    letters = [w for w in words if w.isalpha() and w[:3] in [m[:3] for m in _MONTHS]]
    nums = [int(re.sub(r"(st|nd|rd|th)$", "", w)) for w in re.findall(r"\d+(?:st|nd|rd|th)?", q)]

    def year(y):
        return y if y > 99 else (1900 + y if y >= 50 else 2000 + y)
    if letters:                                   # a month name: day and year are the numbers
        month = [m[:3] for m in _MONTHS].index(letters[-1][:3]) + 1
        day, yr = nums
        return datetime.date(year(yr), month, day)
    if nums[0] > 999:                             # yyyy/mm/dd
        return datetime.date(nums[0], nums[1], nums[2])
    if "/" in question:                           # US: month first
        return datetime.date(year(nums[2]), nums[0], nums[1])
    return datetime.date(year(nums[2]), nums[1], nums[0])   # Europe: day first


def test_dates_iso_answers_match_an_independent_parser(dates):
    v = dates.vocab
    assert dates.x_train.shape == (2700, 32) and dates.t_train.shape == (2700, 11)
    for x, t, q, a in zip(dates.x_test, dates.t_test, dates.questions_test, dates.answers_test):
        assert v.decode(x).rstrip() == q and v.decode(t) == "_" + a
        assert datetime.date.fromisoformat(a) == _parse(q), q
    for q, a in zip(dates.questions_train, dates.answers_train):
        assert datetime.date.fromisoformat(a) == _parse(q), q
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a)


def test_dates_weekdays_are_right(dates):
    names = [datetime.date(2024, 1, d).strftime("%A").lower() for d in range(1, 8)]
    n_checked = 0
    for q, a in zip(dates.questions_train, dates.answers_train):
        word = q.split(",")[0].lower()
        if word[:3] in [w[:3] for w in names]:
            true = datetime.date.fromisoformat(a).weekday()
            assert word[:3] == names[true][:3] and (len(word) == 3 or word == names[true]), q
            n_checked += 1
    assert n_checked > 200


def test_dates_every_format_and_case_appears(dates):
    kinds = np.concatenate([dates.kinds_train, dates.kinds_test])
    assert dates.kind_names == ds.DATE_FORMATS and len(ds.DATE_FORMATS) >= 10
    assert set(kinds.tolist()) == set(range(len(ds.DATE_FORMATS)))
    questions = dates.questions_train + dates.questions_test
    for pattern in [r"^[a-z]+ \d+, \d{4}$", r"^[A-Z][a-z]+ \d+, \d{4}$",  # september 27, 1994
                    r"^\d+/\d+/\d\d$",                                    # 2/10/93
                    r"^\d+ [A-Z]{3} \d{4}$",                              # 27 SEP 1994
                    r"^[A-Z][a-z]+day, [A-Z][a-z]+ \d+, \d{4}$",          # Tuesday, March 5, 2019
                    r"^\d\d/\d\d/\d{4}$", r"^\d\d\.\d\d\.\d{4}$", r"\d(st|nd|rd|th),"]:
        assert any(re.search(pattern, q) for q in questions), pattern
    assert {q[:2] for q in questions if re.match(r"^\d+/\d+/\d\d$", q)}  # 2-digit years
    assert len(set(questions)) == len(questions)


def test_dates_length_selection(dates):
    lengths = dates.lengths("test")
    assert lengths.shape == (300,) and lengths.min() >= 6 and lengths.max() <= 32
    x, t, idx = dates.by_length(8, 10)
    assert np.all((lengths[idx] >= 8) & (lengths[idx] <= 10)) and len(x) == len(t) == len(idx) > 0
    assert np.array_equal(x, dates.x_test[idx])
    long = ds.dates(n=200, seed=1, min_len=20, max_len=25)
    assert all(20 <= len(q) <= 25 for q in long.questions_train + long.questions_test)
    with pytest.raises(ValueError):
        dates.lengths("valid")


@pytest.mark.parametrize("task, make", [("reversal", lambda q: q[::-1]),
                                        ("sorting", lambda q: "".join(sorted(q)))])
def test_digit_tasks(task, make):
    data = getattr(ds, task)(n=300, length=7, seed=2)
    v = data.vocab
    assert data.x_train.shape == (270, 7) and data.t_train.shape == (270, 7) and len(v) == 12
    for x, t, q in zip(data.x_train, data.t_train, data.questions_train):
        assert v.decode(x) == q and v.decode(t) == make(q) and len(q) == 7
    assert np.array_equal(data.x_train - 2, [[int(ch) for ch in q] for q in data.questions_train])
    with_start = getattr(ds, task)(n=300, length=7, seed=2, start_token=True, n_symbols=4)
    assert with_start.t_test.shape == (30, 8) and np.all(with_start.t_test[:, 0] == v.start)
    assert set("".join(with_start.questions_train)) <= set("0123")
    with pytest.raises(ValueError):
        getattr(ds, task)(n=10, length=0)
