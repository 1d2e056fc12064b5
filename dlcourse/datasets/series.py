"""Time series computed from an equation.

==========================  =======  ==================================================
function                    chapter  what
==========================  =======  ==================================================
:func:`mackey_glass`        13       the chaotic Mackey-Glass delay equation, sampled
==========================  =======  ==================================================

Chapter 13's echo state network learns to predict the series one step ahead
and then runs closed-loop on it.
"""
from __future__ import annotations

import numpy as np

__all__ = ["mackey_glass"]


def mackey_glass(n=2600, tau=17.0, beta=0.2, gamma=0.1, power=10, dt=0.1, sample=1.0, discard=500, x0=1.2):
    """The Mackey-Glass delay equation, sampled every ``sample`` time units.

    Parameters
    ----------
    n : int
        Number of samples N returned.
    tau : float
        The delay.
    beta, gamma, power : float
        The equation's constants (below).
    dt : float
        Euler step.
    sample : float
        Time between two returned samples (a multiple of ``dt``).
    discard : int
        Samples dropped at the start (the transient).
    x0 : float
        The constant history x(t) = x0 for t <= 0.

    Returns
    -------
    ndarray of float64, shape (N,)
        Deterministic: no random numbers are drawn.

    Notes
    -----
    ``dx/dt = beta x(t - tau) / (1 + x(t - tau)^power) - gamma x(t)``,
    integrated by Euler steps of ``dt`` from the constant history ``x0``.
    With tau = 17 the series is chaotic: nearby starts drift apart, so any
    closed-loop forecast fails in the end.
    """
    lag, every = int(round(tau / dt)), int(round(sample / dt))
    total = (n + discard) * every
    x = np.empty(lag + total + 1)
    x[:lag + 1] = x0
    for i in range(lag, lag + total):
        xd = x[i - lag]
        x[i + 1] = x[i] + dt * (beta * xd / (1 + xd ** power) - gamma * x[i])
    return x[lag + 1:][discard * every::every][:n].copy()
