"""RDFC-1.0 blank node labelling (W3C RDF Dataset Canonicalization, section 4.4) over statements
in N-Quads term text: the whole algorithm, Hash N-Degree Quads included, for the compiled path.

A statement is a tuple of terms as canonical N-Quads writes them (``<iri>``, ``"literal"...``,
``_:label``): subject, predicate, object and, for a quad, the graph name. The compiled path
(:mod:`vcbadge.jsonld.compiled`) labels most datasets without this module, since their blank
nodes have unique first-degree hashes; it comes here when two share one, which used to send
the dataset back to pyld to be parsed, hashed and labelled a second time.

It follows pyld's steps (:class:`vcbadge.jsonld.rdfc.Canonicalizer`'s full path) one for one,
so the two give the same labels and spend the same work: one unit per Hash N-Degree Quads call
and one per permutation explored, against the same :class:`WorkBudget` and the same
``ComplexityLimit``. A dataset whose recursion goes deeper than :data:`MAX_DEPTH` raises
:class:`TooDeep`, and the caller takes the full path, which decides on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Final

from vcbadge.errors import ComplexityLimit

__all__ = ["MAX_DEPTH", "TooDeep", "WorkBudget", "canonical_labels"]

#: Hash N-Degree Quads calls nested deeper than this are left to the full path.
MAX_DEPTH: Final = 64

# The components of a statement that can be blank nodes, with their RDFC-1.0 position.
_POSITIONS: Final = ((0, "s"), (2, "o"), (3, "g"))


class WorkBudget:
    """The work units one canonicalization may spend (Hash N-Degree Quads calls and
    permutations): past ``limit``, ``ComplexityLimit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self) -> None:
        self.spent += 1
        if self.spent > self.limit:
            raise ComplexityLimit(
                f"RDFC-1.0 exceeded its work limit of {self.limit} units (Hash N-Degree "
                "Quads calls and permutations); the dataset may be poisoned",
            )


def _permutations(nodes: list[str]) -> Iterator[tuple[str, ...]]:
    """The orderings of ``nodes`` that pyld and Digital Bazaar's rdf-canonize explore: the
    Steinhaus-Johnson-Trotter sequence from the sorted list, where an element moves only past
    a strictly smaller one. A list with a node twice therefore yields some of its distinct
    orderings, not all (``a a b b`` gives 5 of 6): the work counted and the path chosen are
    theirs, so that this path and the full one agree with them byte for byte."""
    order = sorted(nodes)
    # Each element's direction (by value, as theirs: repeated nodes share one).
    leftward = dict.fromkeys(order, True)
    last = len(order) - 1
    while True:
        yield tuple(order)
        mobile: str | None = None
        position = 0
        for index, element in enumerate(order):
            if mobile is not None and element <= mobile:
                continue
            if leftward[element]:
                if index > 0 and element > order[index - 1]:
                    mobile, position = element, index
            elif index < last and element > order[index + 1]:
                mobile, position = element, index
        if mobile is None:
            return
        other = position - 1 if leftward[mobile] else position + 1
        order[position], order[other] = order[other], mobile
        for element in order:
            if element > mobile:
                leftward[element] = not leftward[element]


class TooDeep(Exception):
    """Hash N-Degree Quads recursed deeper than :data:`MAX_DEPTH`."""


def canonical_labels(
    statements: Sequence[tuple[str, ...]], *, hash_algorithm: str, budget: WorkBudget
) -> dict[str, str]:
    """The canonical label (``_:c14n0``...) of each blank node of ``statements`` (a dataset:
    no statement twice, in the dataset's order). Raises ``ComplexityLimit`` when ``budget``
    runs out and :class:`TooDeep`."""
    return _Labelling(statements, hash_algorithm, budget).issue()


class _Labelling:
    """One run of the algorithm: the blank nodes' statements and first-degree hashes, and the
    canonical issuer. An identifier issuer is a dict from blank node to issued label; it only
    grows, so its counter is its length and its issuing order its insertion order."""

    def __init__(
        self, statements: Sequence[tuple[str, ...]], hash_algorithm: str, budget: WorkBudget
    ) -> None:
        self.hash_algorithm = hash_algorithm
        self.budget = budget
        # Blank node -> the statements that mention it, in dataset order (section 4.4.3 step 2).
        self.mentions: dict[str, list[tuple[str, ...]]] = {}
        for statement in statements:
            for index, _ in _POSITIONS:
                if index < len(statement) and statement[index][0] == "_":
                    listed = self.mentions.setdefault(statement[index], [])
                    if not listed or listed[-1] is not statement:
                        listed.append(statement)
        self.first_degree = {label: self._hash_first_degree(label) for label in self.mentions}
        self.canonical: dict[str, str] = {}

    def _hash(self, text: str) -> str:
        return hashlib.new(self.hash_algorithm, text.encode("utf-8")).hexdigest()

    def _issue_canonical(self, label: str) -> None:
        if label not in self.canonical:
            self.canonical[label] = f"_:c14n{len(self.canonical)}"

    def _hash_first_degree(self, label: str) -> str:
        # Section 4.6: the node's statements with itself as _:a and other blank nodes as _:z.
        lines = sorted(
            " ".join(
                (term if term[0] != "_" or index == 1 else "_:a" if term == label else "_:z")
                for index, term in enumerate(statement)
            )
            + " .\n"
            for statement in self.mentions[label]
        )
        return self._hash("".join(lines))

    def issue(self) -> dict[str, str]:
        # Section 4.4.3 steps 3-5.
        by_hash: dict[str, list[str]] = {}
        for label, digest in self.first_degree.items():
            by_hash.setdefault(digest, []).append(label)
        shared = []
        for digest in sorted(by_hash):
            if len(by_hash[digest]) == 1:
                self._issue_canonical(by_hash[digest][0])
            else:
                shared.append(by_hash[digest])
        for labels in shared:
            results = []
            for label in labels:
                if label in self.canonical:
                    continue
                results.append(self._hash_n_degree(label, {label: "_:b0"}, 0))
            for _, issuer in sorted(results, key=lambda result: result[0]):
                for label in issuer:
                    self._issue_canonical(label)
        return self.canonical

    def _hash_related(
        self, related: str, predicate: str, issuer: dict[str, str], position: str
    ) -> str:
        # Section 4.7: the canonical label, else the issuer's, else the first-degree hash.
        identifier = (
            self.canonical.get(related) or issuer.get(related) or self.first_degree[related]
        )
        return self._hash(position + (predicate if position != "g" else "") + identifier)

    def _hash_n_degree(
        self, label: str, issuer: dict[str, str], depth: int
    ) -> tuple[str, dict[str, str]]:
        # Section 4.8; the step numbers are the specification's.
        self.budget.spend()
        if depth > MAX_DEPTH:
            raise TooDeep
        related_by_hash: dict[str, list[str]] = {}
        for statement in self.mentions[label]:
            for index, position in _POSITIONS:
                if index < len(statement):
                    term = statement[index]
                    if term[0] == "_" and term != label:
                        digest = self._hash_related(term, statement[1], issuer, position)
                        related_by_hash.setdefault(digest, []).append(term)
        data = []
        for related_hash, nodes in sorted(related_by_hash.items()):
            data.append(related_hash)  # 5.1
            chosen_path = ""
            chosen_issuer = issuer
            for permutation in _permutations(nodes):  # 5.4
                self.budget.spend()
                explored = self._path(permutation, dict(issuer), chosen_path, depth)
                if explored is not None and (not chosen_path or explored[0] < chosen_path):
                    chosen_path, chosen_issuer = explored  # 5.4.6
            data.append(chosen_path)  # 5.5
            issuer = chosen_issuer  # 5.6
        return self._hash("".join(data)), issuer

    def _path(
        self, permutation: tuple[str, ...], issuer: dict[str, str], chosen: str, depth: int
    ) -> tuple[str, dict[str, str]] | None:
        """Steps 5.4.2 to 5.4.5 for one permutation: its path and issuer, or None when the
        path cannot be shorter than ``chosen`` (skip to the next permutation)."""
        path = ""
        recursion = []
        for related in permutation:  # 5.4.4
            issued = self.canonical.get(related)
            if issued is None:
                issued = issuer.get(related)
                if issued is None:
                    recursion.append(related)
                    issued = issuer[related] = f"_:b{len(issuer)}"
            path += issued
            if chosen and len(path) >= len(chosen) and path > chosen:
                return None
        for related in recursion:  # 5.4.5
            result_hash, result_issuer = self._hash_n_degree(related, issuer, depth + 1)
            path += issuer[related] + "<" + result_hash + ">"
            issuer = result_issuer
            if chosen and len(path) >= len(chosen) and path > chosen:
                return None
        return path, issuer
