r"""LaTeX mathematics as plain text for a terminal.

:func:`plain_math` turns the LaTeX of a proof step's statement into readable
Unicode text: ``\frac{a}{b}`` -> ``(a)/(b)``, ``\sqrt{x}`` -> ``√(x)``,
``\ge`` -> ``≥``, Greek letters to their glyphs, ``\mathrm{Var}`` -> ``Var``,
spacing commands to spaces, and grouping braces dropped.  Text that holds no
backslash is returned unchanged.

Example
-------
>>> plain_math(r"\alpha^2 + (d-1)\beta^2 = 1")
'α^2 + (d-1)β^2 = 1'
>>> plain_math(r"\tfrac{H-1}{H}\,2\Delta")
'(H-1)/H 2Δ'
>>> plain_math(r"\mathbb{E}[V^{2^{m+1}}] \le \sqrt{d\eta_k}")
'E[V^(2^(m+1))] ≤ √(dη_k)'
"""

from __future__ import annotations

import re

__all__ = ["plain_math"]

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
    "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "~",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "infty": "∞",
    "cdot": "·", "times": "×", "pm": "±", "to": "→", "rightarrow": "→", "Rightarrow": "⇒", "iff": "⇔",
    "Leftrightarrow": "⇔", "mapsto": "↦", "sum": "Σ", "prod": "Π", "int": "∫", "partial": "∂",
    "nabla": "∇", "forall": "∀", "exists": "∃", "langle": "⟨", "rangle": "⟩", "|": "‖", "ell": "ℓ",
    "ldots": "...", "dots": "...", "cdots": "...", "#": "#", "%": "%", "&": "&", "_": "_", "{": "{",
    "}": "}", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "star": "*", "ast": "*",
    "max": "max", "min": "min", "sup": "sup", "inf": "inf", "log": "log", "ln": "ln", "exp": "exp",
    "lim": "lim", "det": "det", "arg": "arg", "left": "", "right": "", "big": "", "Big": "", "bigg": "",
    "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ", "!": "", " ": " ", "top": "ᵀ",
}
#: Commands whose braced argument is kept as it is.
_KEEP_ARG = ("mathrm", "mathbf", "mathit", "mathsf", "mathcal", "mathbb", "text", "textrm", "operatorname",
             "boldsymbol", "bm", "mbox")
_ACCENT = {"hat": "^", "widehat": "^", "tilde": "~", "widetilde": "~", "bar": "‾", "overline": "‾"}


def _group(s: str, i: int) -> tuple[str, int]:
    """The braced group starting at ``s[i] == '{'`` (or the single character there) and the index after it."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] != "{":
        if s[i] == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:])
            return m.group(0), i + len(m.group(0))
        return s[i], i + 1
    depth, j = 0, i
    while j < len(s):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1:j], j + 1
        j += 1
    return s[i + 1:], len(s)


def _wrap(x: str) -> str:
    """``x`` alone when it is one symbol or a number, else in parentheses."""
    x = x.strip()
    return x if len(x) == 1 or re.fullmatch(r"\d+(\.\d+)?|[A-Za-z]", x) else f"({x})"


def plain_math(latex: str) -> str:
    """``latex`` as plain Unicode text (see the module docstring)."""
    if "\\" not in latex and "{" not in latex:
        return latex
    out, i, s = [], 0, latex
    while i < len(s):
        c = s[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:])
            name, i = m.group(1), i + len(m.group(0))
            if name in ("frac", "tfrac", "dfrac"):
                a, i = _group(s, i)
                b, i = _group(s, i)
                out.append(f"{_wrap(plain_math(a))}/{_wrap(plain_math(b))}")
            elif name == "sqrt":
                a, i = _group(s, i)
                out.append(f"√{_wrap(plain_math(a))}")
            elif name in _KEEP_ARG:
                a, i = _group(s, i)
                out.append(plain_math(a))
            elif name in _ACCENT:
                a, i = _group(s, i)
                out.append(plain_math(a) + _ACCENT[name])
            else:
                out.append(_SYMBOLS.get(name, name))
        elif c in "^_" and i + 1 < len(s) and s[i + 1] == "{":
            a, i = _group(s, i + 1)
            out.append(c + _wrap(plain_math(a) if "\\" in a or "{" in a else a))
        elif c in "{}":
            i += 1
        else:
            out.append(c)
            i += 1
    return re.sub(r" {2,}", " ", "".join(out)).strip()
