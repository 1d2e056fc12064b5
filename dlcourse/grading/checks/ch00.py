"""Checks for chapter 00 (using this course): the warm-up exercise."""
import numpy as np

from dlcourse.grading.core import register


@register("00.dot", points=1, title="dot(u, v) -> float",
          hint="multiply the vectors element by element, then add the products up: "
               "u[0]*v[0] + u[1]*v[1] + ...")
def check_dot(dot, c):
    u, v = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    c.close("dot([1,2,3], [4,5,6]) = 32", lambda: dot(u, v), 32.0)
    for D in (1, 5, 50):
        a, b = c.rng.standard_normal(D), c.rng.standard_normal(D)
        c.close(f"random vectors of length {D}", lambda: dot(a, b), float(a @ b))
