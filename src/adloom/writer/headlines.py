"""Headline and subhead playbooks of the printed and display kinds, by awareness stage: the
banner and flyer copy (``assets/banner/copy.py``, ``assets/flyer/copy.py``) pick from them."""

from __future__ import annotations

from collections.abc import Mapping

from adloom.writer.compose import Template as T

HEADLINES: Mapping[str, tuple[T, ...]] = {
    "unaware": (
        T("h.u.every", "{outcome_short}, every day"),
        T("h.u.picture", "Picture {outcome_np}"),
    ),
    "problem_aware": (
        T("h.p.nomore", "No more {struggle_short_lc}"),
        T("h.p.struggle", "{struggle_short}?"),
        T("h.p.fix", "There's an easier way"),
    ),
    "solution_aware": (
        T("h.s.better", "A better way to get {outcome_np}"),
        T("h.s.promise", "{promise_short}"),
        T("h.s.built", "Built for {outcome_np}"),
        T("h.s.tried", "Tried everything? Try this"),
    ),
    "product_aware": (
        T("h.pa.why", "What you get with {product}"),
        T("h.pa.benefits", "{benefit_lines}"),
        T("h.pa.fact", "{fact1_short}"),
    ),
    "most_aware": (
        T("h.m.offer", "{offer_short}"),
        T("h.m.ready", "Ready for {product}?"),
        T("h.m.event", "{event_title}"),
    ),
}
COMMON_HEADLINES = (
    T("h.c.event", "{event_title}"),
    T("h.c.tagline", "{tagline}"),
    T("h.c.object", "{promise_object}"),
    T("h.c.promise", "{promise_short}"),
    T("h.c.benefits", "{benefit_lines}"),
    T("h.c.product", "{product}"),
)
SUBHEADS = (
    T("sh.product", "{product}: {promise_lc}."),
    T("sh.that", "{promise}. That's {product}."),
    T("sh.from", "{promise}, from {product}."),
    T("sh.benefits", "{product}. {benefit_lines}"),
    T("sh.offer", "{product}: {offer_lc}."),
    T("sh.fact", "{product}. {fact1}."),
    T("sh.plain", "{promise}."),
)
