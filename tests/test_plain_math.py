"""Plain-text rendering of proof statements (``rltheory proofs`` without ``--latex``)."""

import pytest

from rltheory.plain_math import plain_math


@pytest.mark.parametrize("latex,plain", [
    (r"\alpha^2 + (d-1)\beta^2 = 1", "α^2 + (d-1)β^2 = 1"),
    (r"\frac{a+b}{2} \le \sqrt{x}", "(a+b)/2 ≤ √x"),
    (r"\mathrm{Var}[V^{2^m}] \ge 0", "Var[V^(2^m)] ≥ 0"),
    (r"\|\theta\|_2 \neq \langle\mu,a\rangle", "‖θ‖_2 ≠ ⟨μ,a⟩"),
    ("KL(P||Q) <= 16 d^2", "KL(P||Q) <= 16 d^2"),          # plain text passes unchanged
])
def test_plain_math(latex, plain):
    assert plain_math(latex) == plain
