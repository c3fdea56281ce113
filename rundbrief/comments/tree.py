"""Threading the approved comments of one article into a tree. Pure and iterative."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from rundbrief.comments.model import STATUSES, Comment, Node, Problem, display_order, shown

REPLYTO_FIX = (
    "In „replyto:“ die Kennung (Dateiname ohne .md) des Kommentars eintragen, "
    "auf den geantwortet wird, oder die Zeile löschen."
)


def count_by_status(comments: Iterable[Comment]) -> dict[str, int]:
    """How many comments have each status (every known status is present, maybe 0)."""
    counts = dict.fromkeys(STATUSES, 0)
    for comment in comments:
        counts[comment.status] = counts.get(comment.status, 0) + 1
    return counts


def _orphan_problem(comment: Comment, by_id: dict[str, Comment]) -> Problem:
    parent = by_id.get(comment.replyto)
    if parent is None:
        reason = "nennt keinen Kommentar dieses Artikels"
        fix = REPLYTO_FIX
    else:
        reason = f"nennt einen Kommentar mit Status „{parent.status}“, der nicht angezeigt wird"
        fix = f"Den Kommentar „{parent.id}“ freigeben (status: approved) oder „replyto:“ ändern."
    return Problem(
        comment.source_path,
        None,
        f"„replyto: {shown(comment.replyto)}“ {reason}; der Kommentar wird oben eingereiht.",
        fix,
    )


def _cycle_problem(cycle: list[Comment], oldest: Comment) -> Problem:
    if len(cycle) == 1:
        message = f"Der Kommentar „{oldest.id}“ antwortet auf sich selbst"
    else:
        ids = ", ".join(f"„{comment.id}“" for comment in cycle)
        message = (
            f"Die Kommentare {ids} antworten im Kreis aufeinander; der älteste, „{oldest.id}“,"
        )
    return Problem(
        oldest.source_path,
        None,
        f"{message} wird oben eingereiht.",
        f"In „{oldest.id}“ die Zeile „replyto: {shown(oldest.replyto)}“ löschen oder korrigieren.",
    )


def _break_cycles(parent: list[int | None], comments: list[Comment]) -> list[Problem]:
    """Make ``parent`` acyclic: the oldest comment of each cycle loses its parent."""
    problems: list[Problem] = []
    state = [0] * len(parent)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(parent)):
        path: list[int] = []
        position: dict[int, int] = {}
        current = start
        while current is not None and state[current] == 0:
            state[current] = 1
            position[current] = len(path)
            path.append(current)
            current = parent[current]
        if current is not None and state[current] == 1:
            cycle = path[position[current] :]
            oldest = min(cycle)  # indices follow display order: the smallest is the oldest
            parent[oldest] = None
            problems.append(_cycle_problem([comments[i] for i in cycle], comments[oldest]))
        for index in path:
            state[index] = 2
    return problems


def _display_places(parent: list[int | None], max_depth: int) -> tuple[list[int | None], list[int]]:
    """Where each comment is shown: its display parent and depth (deep replies capped)."""
    size = len(parent)
    children: list[list[int]] = [[] for _ in range(size)]
    for index, parent_index in enumerate(parent):
        if parent_index is not None:
            children[parent_index].append(index)
    shown_parent: list[int | None] = [None] * size
    depth = [1] * size
    # (comment, its true depth, the ancestor at depth max_depth - 1 on its path)
    queue = deque((index, 1, None) for index in range(size) if parent[index] is None)
    while queue:
        index, true_depth, anchor = queue.popleft()
        if true_depth <= max_depth:
            shown_parent[index] = parent[index]
            depth[index] = true_depth
        else:
            shown_parent[index] = anchor
            depth[index] = max_depth
        if true_depth == max_depth - 1:
            anchor = index
        queue.extend((child, true_depth + 1, anchor) for child in children[index])
    return shown_parent, depth


def build_tree(
    comments: Iterable[Comment], *, max_depth: int = 5
) -> tuple[list[Node], list[Problem]]:
    """Thread the approved comments; replies deeper than ``max_depth`` are shown at it.

    Missing parents and reply cycles are repaired (the comment goes to the top level)
    and reported; no approved comment is ever dropped.
    """
    if max_depth < 1:
        raise ValueError(f"max_depth muss mindestens 1 sein, nicht {max_depth!r}")
    comments = list(comments)
    by_id: dict[str, Comment] = {}
    for comment in comments:
        by_id.setdefault(comment.id, comment)
    approved = sorted((c for c in comments if c.status == "approved"), key=display_order)
    problems: list[Problem] = []
    index_of: dict[str, int] = {}
    for index, comment in enumerate(approved):
        if comment.id in index_of:
            first = approved[index_of[comment.id]]
            problems.append(
                Problem(
                    comment.source_path,
                    None,
                    f"Die Kennung „{comment.id}“ gibt es schon ({first.source_path}); "
                    "Antworten darauf werden dem älteren Kommentar zugeordnet.",
                    "Einer der beiden Dateien einen anderen Namen (eine neue Kennung) geben.",
                )
            )
        else:
            index_of[comment.id] = index
    parent: list[int | None] = [None] * len(approved)
    for index, comment in enumerate(approved):
        if comment.replyto is None:
            continue
        parent[index] = index_of.get(comment.replyto)
        if parent[index] is None:
            problems.append(_orphan_problem(comment, by_id))
    problems += _break_cycles(parent, approved)
    shown_parent, depth = _display_places(parent, max_depth)
    nodes = [Node(comment, depth[index], []) for index, comment in enumerate(approved)]
    roots: list[Node] = []
    for index, node in enumerate(nodes):  # display order, so every list ends up sorted
        above = shown_parent[index]
        (roots if above is None else nodes[above].children).append(node)
    return roots, problems


def walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every node depth-first, in display order (parents before their replies)."""
    stack = list(nodes)
    stack.reverse()
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def count(nodes: Iterable[Node]) -> int:
    """The number of nodes in the tree (all levels)."""
    return sum(1 for _ in walk(nodes))
